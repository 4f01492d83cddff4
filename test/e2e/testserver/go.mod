module blog.local/test/e2e/testserver

go 1.26.0

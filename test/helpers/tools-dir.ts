// Where scripts/lib/common.sh builds the toolchain and images: the machine-level cache, moved by BLOG_TOOLS_DIR.
import * as os from "node:os";
import * as path from "node:path";

export const TOOLS_DIR =
    process.env.BLOG_TOOLS_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "blog-platform");

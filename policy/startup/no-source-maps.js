// In place of source-map-support/register in @pulumi/pulumi's entry scripts (preload.js): stack traces keep
// the SDK's JavaScript positions. To map them while debugging the SDK: NODE_OPTIONS=--enable-source-maps.
"use strict";

// npm's Arborist, loaded when first used (preload.js): @pulumi/pulumi needs it only to serialize functions.
"use strict";
const path = require("node:path");

let arborist;
const load = () => {
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    arborist ??= require(require.resolve("@npmcli/arborist", { paths: [sdk] }));
    return arborist;
};
// __esModule: the SDK's __importStar then keeps this object instead of copying (and so loading) every export.
module.exports = {
    __esModule: true,
    get Arborist() {
        return load().Arborist;
    },
};

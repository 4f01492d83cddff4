// npm's Arborist as @pulumi/pulumi sees it (preload.js): loaded when first used, which only function
// serialization does.
"use strict";
const { loadReal } = require("./preload.js");

let arborist;
// __esModule: the SDK's __importStar then keeps this object instead of copying (and so loading) every export.
module.exports = {
    __esModule: true,
    get Arborist() {
        arborist ??= loadReal("@npmcli/arborist");
        return arborist.Arborist;
    },
};

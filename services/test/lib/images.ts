// Test images made with the image service's own sharp (so the test needs no second copy of libvips).
import path from "node:path";
import { servicesDir } from "./env";

// sharp is installed in services/image only; its types are not resolvable from here, hence the loose type.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any
export const sharp = require(path.join(servicesDir, "image", "node_modules", "sharp")) as (...args: any[]) => any;

export function png(width: number, height: number, colour = { r: 200, g: 40, b: 40 }): Promise<Buffer> {
    return sharp({ create: { width, height, channels: 3, background: colour } })
        .png()
        .toBuffer();
}

/** Random noise compresses badly, so a modest pixel count makes a large file. */
export function noisyPng(width: number, height: number): Promise<Buffer> {
    const raw = Buffer.alloc(width * height * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(Math.random() * 256);
    return sharp(raw, { raw: { width, height, channels: 3 } })
        .png({ compressionLevel: 0 })
        .toBuffer();
}

// Decodes an upload with sharp (rejecting anything that is not a supported image) and renders its thumbnail.
import sharp, { type Metadata } from "sharp";
import { HttpError } from "@blog/shared";

export const ACCEPTED_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"] as const;
const FORMAT_TYPES: Record<string, string> = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp", gif: "image/gif" };

// One image at a time per process: resizing is CPU-bound and the pod has a fraction of a core.
sharp.concurrency(1);
sharp.cache(false);

export interface Processed {
    contentType: string;
    width: number;
    height: number;
    thumbnail: Buffer;
}

export async function processUpload(data: Buffer, maxInputPixels: number, thumbnailWidth: number): Promise<Processed> {
    let meta: Metadata;
    try {
        meta = await sharp(data, { limitInputPixels: maxInputPixels }).metadata();
    } catch {
        throw new HttpError(400, `body: not a decodable image; upload one of ${ACCEPTED_TYPES.join(", ")}`);
    }
    const contentType = meta.format ? FORMAT_TYPES[meta.format] : undefined;
    if (!contentType || !meta.width || !meta.height) {
        throw new HttpError(
            400,
            `body: image format ${JSON.stringify(meta.format)} is not accepted; upload one of ${ACCEPTED_TYPES.join(", ")}`,
        );
    }
    if (meta.width * meta.height > maxInputPixels) {
        throw new HttpError(400, `body: image is ${meta.width}x${meta.height} pixels; at most ${maxInputPixels} pixels are accepted`);
    }
    try {
        const thumbnail = await sharp(data, { limitInputPixels: maxInputPixels })
            .rotate() // honour EXIF orientation
            .resize({ width: thumbnailWidth, withoutEnlargement: true })
            .webp({ quality: 80 })
            .toBuffer();
        return { contentType, width: meta.width, height: meta.height, thumbnail };
    } catch {
        throw new HttpError(400, "body: the image is damaged and cannot be resized");
    }
}

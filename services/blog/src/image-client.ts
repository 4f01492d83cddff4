// Asks image whether an uploaded image exists (and who owns it) before a post refers to it.
import { HttpError } from "@blog/shared";

export interface ImageMeta {
    id: number;
    ownerId: number;
}

export function imageClient(baseUrl: string, apiKey: string) {
    return async (id: number): Promise<ImageMeta | undefined> => {
        let response: Response;
        try {
            response = await fetch(`${baseUrl}/${id}/meta`, { headers: { "x-api-key": apiKey }, signal: AbortSignal.timeout(3000) });
        } catch {
            throw new HttpError(503, "imageId: the image service cannot be reached to check the image; retry later");
        }
        if (response.status === 404) {
            return undefined;
        }
        if (!response.ok) {
            throw new HttpError(503, `imageId: the image service answered ${response.status}; retry later`);
        }
        return (await response.json()) as ImageMeta;
    };
}

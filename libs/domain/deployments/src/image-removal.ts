import type { ContainerRuntime, ImageInfo } from '@slipway/docker';

/**
 * Removes an image and every tag it carries. The engine refuses to delete an id that several
 * tags name (it would need `force`, which Slipway never uses: force also untags images that
 * containers run), so each tag goes first and the id last; removing its last tag removes the
 * image, and with it the build's intermediate layers that nothing else uses (the classic
 * builder's cache of that build). A missing image or tag is fine; one a container uses is an
 * error (`DockerOperationError`), and the image stays.
 */
export async function removeImageAndTags(
  runtime: Pick<ContainerRuntime, 'removeImage'>,
  image: Pick<ImageInfo, 'id' | 'tags'>,
): Promise<void> {
  for (const tag of image.tags) await runtime.removeImage(tag);
  await runtime.removeImage(image.id);
}

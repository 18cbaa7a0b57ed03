/**
 * sharp, loaded on the first image rather than at boot: libvips added ~10 MB of resident memory to every
 * gateway process (idle RSS 103 → 93 MB without it), most of which never sees an image, and that memory
 * counted against the download's 200 MB target (bench/, case 4).
 */
import type SharpModule from 'sharp';

let loaded: typeof SharpModule | undefined;

export function sharp(): typeof SharpModule {
  loaded ??= require('sharp') as typeof SharpModule;
  return loaded;
}

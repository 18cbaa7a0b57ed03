/**
 * sharp, loaded on the first image rather than at boot: libvips adds ~19 MB of resident memory to every
 * gateway process, most of which never sees an image (measured: idle RSS, and the peak of a 3M-record
 * download in bench/).
 */
import type SharpModule from 'sharp';

let loaded: typeof SharpModule | undefined;

export function sharp(): typeof SharpModule {
  loaded ??= require('sharp') as typeof SharpModule;
  return loaded;
}

/**
 * The part of mpd-parser's output (video.js, https://github.com/videojs/mpd-parser) that abrlab reads. The
 * package ships no TypeScript types; these follow its README and `src/toM3u8.js`.
 */
declare module 'mpd-parser' {
  export interface MpdByteRange {
    length: number;
    offset: number;
  }
  export interface MpdSegment {
    uri: string;
    resolvedUri: string;
    duration: number;
    byterange?: MpdByteRange;
    map?: { uri: string; resolvedUri: string; byterange?: MpdByteRange };
    number?: number;
    timeline?: number;
    presentationTime?: number;
  }
  export interface MpdPlaylist {
    attributes: {
      NAME?: string;
      BANDWIDTH?: number;
      CODECS?: string;
      RESOLUTION?: { width: number; height: number };
      [key: string]: unknown;
    };
    segments: MpdSegment[];
    sidx?: { uri: string; resolvedUri: string; byterange: MpdByteRange; map?: MpdSegment['map']; duration: number };
    endList?: boolean;
  }
  export interface MpdManifest {
    playlists?: MpdPlaylist[];
    mediaGroups?: Record<string, Record<string, Record<string, { playlists?: MpdPlaylist[] }>>>;
    duration?: number;
    endList?: boolean;
    minimumUpdatePeriod?: number;
  }
  export function parse(
    manifestString: string,
    options?: { manifestUri?: string; NOW?: number; clientOffset?: number },
  ): MpdManifest;
}

// Loads one artifact's text through its signed URL, again only when a new version of it appears (size or
// modification time changed), since its URL changes on every listing. null while absent or loading.

import { useEffect, useRef, useState } from "preact/hooks";
import { fetchArtifactText } from "./client";
import { Artifact } from "./types";

export interface ArtifactText {
  text: string | null;
  error: unknown;
}

export function findArtifact(artifacts: Artifact[] | undefined, name: string): Artifact | undefined {
  return artifacts?.find((a) => a.name === name || a.name.endsWith(`/${name}`));
}

export function artifactVersion(artifact: Artifact | undefined): string {
  return artifact ? `${artifact.key}|${artifact.size}|${artifact.last_modified}` : "";
}

export function useArtifactText(artifact: Artifact | undefined): ArtifactText {
  const [state, setState] = useState<ArtifactText>({ text: null, error: null });
  const url = useRef<string | undefined>(undefined);
  url.current = artifact?.url;
  const version = artifactVersion(artifact);
  useEffect(() => {
    if (!version || !url.current) return;
    const controller = new AbortController();
    fetchArtifactText(url.current, controller.signal).then(
      (text) => setState({ text, error: null }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState((current) => ({ text: current.text, error }));
      },
    );
    return () => controller.abort();
  }, [version]);
  return state;
}

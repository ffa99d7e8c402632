// The job's artifacts with their download links (signed URLs that need no key), and the final picture.

import { Artifact, JobStatus } from "../api/types";
import { formatBytes, formatTimestamp } from "../lib/format";

export const FINAL_PICTURE = "final.png";

export function ArtifactList(props: { artifacts: Artifact[] }) {
  if (props.artifacts.length === 0) return <p class="muted">No artifacts yet.</p>;
  return (
    <table class="artifacts">
      <caption class="visually-hidden">Artifacts</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" class="size">
            Size
          </th>
          <th scope="col">Last modified</th>
          <th scope="col">Type</th>
        </tr>
      </thead>
      <tbody>
        {props.artifacts.map((artifact) => (
          <tr key={artifact.key}>
            <td class="cell-id">
              <a href={artifact.url} download={artifact.name.split("/").pop()} data-artifact={artifact.name}>
                {artifact.name}
              </a>
            </td>
            <td class="numeric size" data-label="Size">
              {formatBytes(artifact.size)}
            </td>
            <td class="numeric" data-label="Modified">
              {formatTimestamp(artifact.last_modified)}
            </td>
            <td data-label="Type">{artifact.content_type}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// `status`: the job's, so a run that ended without a picture does not promise one.
export function FinalPicture(props: { artifact: Artifact | undefined; status: JobStatus }) {
  if (!props.artifact) {
    const why =
      props.status === "completed"
        ? "This run wrote no picture of its final state."
        : props.status === "failed" || props.status === "cancelled"
          ? `This run was ${props.status} before it drew its final state.`
          : "The picture of the final state appears when the run has finished.";
    return <p class="muted">{why}</p>;
  }
  return (
    <figure class="final-picture">
      <img
        src={props.artifact.url}
        alt="Final state of the simulation box: atoms drawn as discs coloured by element, bonds as lines"
        loading="lazy"
      />
      <figcaption>
        Final state ({props.artifact.name}, {formatBytes(props.artifact.size)})
      </figcaption>
    </figure>
  );
}

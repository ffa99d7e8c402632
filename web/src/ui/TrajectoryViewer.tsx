// The run's snapshots (trajectory.extxyz) animated on a canvas: play/pause, a frame slider, a speed; atoms coloured
// by element, bonds drawn, the molecule under the pointer ringed and named. It opens on the last frame: the final
// state, or the last snapshot of a cancelled or failed run. The file is downloaded whole, so while the job runs a
// newer version is loaded only when asked ("Load newer frames"); after the job ends the final version loads itself.

import { useEffect, useRef, useState } from "preact/hooks";
import { fetchArtifactText } from "../api/client";
import { artifactVersion } from "../api/useArtifactText";
import { Artifact, Job, isTerminal } from "../api/types";
import { Trajectory, bondsOf, formulaOf, parseExtxyz, ELEMENTS } from "../lib/extxyz";
import { formatBytes, formatNumber } from "../lib/format";
import { ErrorNotice } from "./ErrorNotice";
import { ELEMENT_COLORS, FrameRenderer } from "./frameRenderer";

export const TRAJECTORY_FILE = "trajectory.extxyz";
// Past this the page would hold hundreds of megabytes of text and arrays: the file is for download, not viewing.
const MAX_TRAJECTORY_BYTES = 128 * 1024 * 1024;
const SPEEDS_FPS = [2, 5, 10, 20, 30, 60];
const DEFAULT_SPEED_FPS = 10;
const NO_BONDS: Uint32Array[] = [];

// Bonds are worked out for every frame once, when the file is loaded, so playing only draws.
type Loaded = { version: string; trajectory: Trajectory; bonds: Uint32Array[] } | { version: string; error: unknown } | null;

function useTrajectory(artifact: Artifact | undefined, jobDone: boolean) {
  const [loaded, setLoaded] = useState<Loaded>(null);
  const [wanted, setWanted] = useState<Artifact | undefined>(undefined);
  const current = artifactVersion(artifact);
  const tooLarge = artifact !== undefined && artifact.size > MAX_TRAJECTORY_BYTES;
  // First sight, and every new version once the job is over, load by themselves (an unchanged choice keeps its
  // object, so the loading effect below does not run again).
  useEffect(() => {
    if (!artifact || tooLarge) return;
    setWanted((chosen) =>
      chosen === undefined || (jobDone && artifactVersion(chosen) !== artifactVersion(artifact)) ? artifact : chosen,
    );
  }, [artifact, jobDone, tooLarge]);
  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    const version = artifactVersion(wanted);
    fetchArtifactText(wanted.url, controller.signal).then(
      (text) => {
        try {
          const trajectory = parseExtxyz(text);
          setLoaded({ version, trajectory, bonds: trajectory.frames.map(bondsOf) });
        } catch (error) {
          setLoaded({ version, error });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ version, error });
      },
    );
    return () => controller.abort();
  }, [wanted]);
  const newer = artifact !== undefined && wanted !== undefined && artifactVersion(wanted) !== current && !tooLarge;
  return { loaded, loading: wanted !== undefined && loaded?.version !== artifactVersion(wanted), newer, loadNewer: () => setWanted(artifact), tooLarge };
}

function missingText(job: Job): string {
  if (!isTerminal(job.status)) return "The trajectory appears once the run has written its first snapshot.";
  if (job.status === "completed") return "This run wrote no trajectory.";
  return `This run was ${job.status} before it wrote a trajectory.`;
}

export function TrajectoryViewer(props: { job: Job; artifact: Artifact | undefined }) {
  const { loaded, loading, newer, loadNewer, tooLarge } = useTrajectory(props.artifact, isTerminal(props.job.status));
  const trajectory = loaded && "trajectory" in loaded ? loaded.trajectory : null;
  const bonds = loaded && "bonds" in loaded ? loaded.bonds : NO_BONDS;
  const frameCount = trajectory?.frames.length ?? 0;
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(DEFAULT_SPEED_FPS);
  const [hovered, setHovered] = useState<number | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const canvas = useRef<HTMLCanvasElement>(null);
  const renderer = useRef<FrameRenderer | null>(null);
  const draws = useRef(0);

  // A newly loaded trajectory opens on its last frame.
  useEffect(() => {
    setIndex(Math.max(0, frameCount - 1));
    setHovered(null);
  }, [trajectory, frameCount]);

  const frame = trajectory?.frames[Math.min(index, frameCount - 1)];

  // The canvas fills its stage (CSS: 100% wide, the stage at most 720 px) with the box's aspect; its pixels follow
  // its size in device pixels.
  const aspect = frame ? frame.boxY / frame.boxX : 1;
  const hasTrajectory = trajectory !== null;
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    element.style.aspectRatio = String(1 / aspect);
    const measure = () => {
      const ratio = window.devicePixelRatio || 1;
      setSize({ width: Math.round(element.clientWidth * ratio), height: Math.round(element.clientWidth * aspect * ratio) });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [aspect, hasTrajectory]);

  // Draw the frame.
  useEffect(() => {
    const element = canvas.current;
    if (!element || !frame || size.width === 0) return;
    if (!renderer.current || renderer.current.width !== size.width || renderer.current.height !== size.height) {
      element.width = size.width;
      element.height = size.height;
      renderer.current = new FrameRenderer(size.width, size.height);
    }
    const frameBonds = bonds[Math.min(index, bonds.length - 1)] ?? new Uint32Array(0);
    element.getContext("2d")?.putImageData(renderer.current.draw(frame, frameBonds, hovered), 0, 0);
    draws.current += 1;
    element.dataset.draws = String(draws.current);
  }, [frame, bonds, index, hovered, size]);

  // Playing: advance `speed` frames per second of wall time, from the frame shown when play was pressed; wraps.
  const shownIndex = useRef(index);
  shownIndex.current = index;
  useEffect(() => {
    if (!playing || frameCount < 2) return;
    const startedAt = performance.now();
    const startIndex = shownIndex.current;
    let request = 0;
    const tick = (now: number) => {
      setIndex((startIndex + Math.floor(((now - startedAt) / 1000) * speed)) % frameCount);
      request = requestAnimationFrame(tick);
    };
    request = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(request);
  }, [playing, speed, frameCount]);

  const onPointerMove = (event: PointerEvent) => {
    const element = canvas.current;
    if (!element || !frame || !renderer.current) return;
    const box = element.getBoundingClientRect();
    const atom = renderer.current.atomAt(
      frame,
      ((event.clientX - box.left) * element.width) / box.width,
      ((event.clientY - box.top) * element.height) / box.height,
    );
    setHovered(atom === null ? null : frame.molecule[atom]);
  };

  if (!props.artifact) return <p class="muted">{missingText(props.job)}</p>;
  if (tooLarge) {
    return (
      <p class="muted">
        The trajectory is {formatBytes(props.artifact.size)}, more than the viewer loads ({formatBytes(MAX_TRAJECTORY_BYTES)});
        download it from the artifacts below.
      </p>
    );
  }
  if (loaded && "error" in loaded) return <ErrorNotice error={loaded.error} what="the trajectory" />;
  if (!trajectory) return <p class="muted">Loading the trajectory ({formatBytes(props.artifact.size)})…</p>;
  if (!frame) return <p class="muted">The trajectory has no complete frame yet.</p>;

  const hoveredMolecule = hovered !== null ? formulaOf(frame, hovered) : null;
  const position = `Frame ${formatNumber(index + 1)} of ${formatNumber(frameCount)}, step ${formatNumber(frame.step)}`;
  return (
    <div class="viewer">
      <div class="viewer-controls">
        <button
          type="button"
          class="button"
          aria-pressed={playing}
          disabled={frameCount < 2}
          onClick={() => setPlaying((now) => !now)}
        >
          {playing ? "Pause" : "Play"}
        </button>
        <span class="viewer-frame">
          <label for="viewer-frame">Frame</label>
          <input
            id="viewer-frame"
            type="range"
            min={0}
            max={Math.max(0, frameCount - 1)}
            step={1}
            value={index}
            aria-valuetext={position}
            onInput={(event) => {
              setPlaying(false);
              setIndex(Number((event.target as HTMLInputElement).value));
            }}
          />
        </span>
        <span class="viewer-speed">
          <label for="viewer-speed">Speed</label>
          <select id="viewer-speed" value={speed} onChange={(event) => setSpeed(Number((event.target as HTMLSelectElement).value))}>
            {SPEEDS_FPS.map((fps) => (
              <option key={fps} value={fps}>
                {fps} frames/s
              </option>
            ))}
          </select>
        </span>
        {newer && (
          <button type="button" class="button" onClick={loadNewer} disabled={loading}>
            Load newer frames
          </button>
        )}
      </div>
      <p class="viewer-position numeric" aria-live="off">
        {position} · {formatNumber(frame.element.length)} atoms
      </p>
      <div class="viewer-stage">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${position}: atoms coloured by element, bonds as lines`}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHovered(null)}
        />
      </div>
      <p class="viewer-hover" aria-live="polite">
        {hoveredMolecule
          ? `Molecule under the pointer: ${hoveredMolecule.formula} (${hoveredMolecule.atoms} ${hoveredMolecule.atoms === 1 ? "atom" : "atoms"})`
          : "Point at an atom to ring its molecule."}
      </p>
      <ul class="viewer-legend" aria-label="Element colours">
        {ELEMENTS.map((symbol) => (
          <li key={symbol}>
            <span class="swatch" style={{ background: ELEMENT_COLORS[symbol] }} aria-hidden="true" />
            {symbol}
          </li>
        ))}
      </ul>
    </div>
  );
}

// The run report, the first thing on a job's page: what the chemistry produced. Headline numbers and top reactions
// (by formula, with the species keys beneath and the recrossings when the worker counts them) from summary.json, every species from molecules.json (searchable, sortable), the counts of the top species over
// time from species_counts.csv, and when each species first appeared. Each part appears once its artifact exists
// and is reloaded when a new version of it is written.

import { useMemo } from "preact/hooks";
import { findArtifact, useArtifactText } from "../api/useArtifactText";
import { Artifact, Job, isTerminal } from "../api/types";
import { formatDuration, formatNumber } from "../lib/format";
import { Species, firstAppearances, parseMolecules, parseSpeciesCounts, parseSummary } from "../lib/report";
import { Chart } from "./Chart";
import { ErrorNotice } from "./ErrorNotice";
import { SpeciesTable } from "./SpeciesTable";

const TOP_SPECIES_CHARTED = 6;
const TOP_REACTIONS_SHOWN = 10;
const APPEARANCE_STEPS_SHOWN = 40;
const SERIES_COLORS = ["#1d5fa8", "#b3261e", "#2e7d32", "#7a3d9c", "#c2571a", "#00796b"];

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function SpeciesCountsChart(props: { csv: string; top: Species[] }) {
  const counts = useMemo(() => parseSpeciesCounts(props.csv), [props.csv]);
  const keys = props.top.map((s) => s.key).filter((key) => counts.counts.has(key));
  const series = keys.slice(0, TOP_SPECIES_CHARTED).map((key, i) => ({
    label: props.top.find((s) => s.key === key)!.formula,
    color: SERIES_COLORS[i % SERIES_COLORS.length],
    values: counts.counts.get(key)!,
  }));
  if (counts.steps.length === 0 || series.length === 0) return <p class="muted">No species counts recorded yet.</p>;
  return <Chart id="chart-species-counts" title="Top species over time (count)" xLabel="step" x={counts.steps} series={series} />;
}

function FirstAppearances(props: { species: Species[] }) {
  const groups = firstAppearances(props.species);
  if (groups.length === 0) return <p class="muted">No species yet.</p>;
  return (
    <>
      <ol class="appearances">
        {groups.slice(0, APPEARANCE_STEPS_SHOWN).map((group) => (
          <li key={group.step}>
            <span class="appearance-step numeric">step {formatNumber(group.step)}</span>{" "}
            {group.species.map((s) => s.formula).join(", ")}
          </li>
        ))}
      </ol>
      {groups.length > APPEARANCE_STEPS_SHOWN && (
        <p class="hint">and new species at {groups.length - APPEARANCE_STEPS_SHOWN} later steps (see the table).</p>
      )}
    </>
  );
}

// Why a part is missing, true to the job's state (a cancelled run will not write it any more).
function missingText(job: Pick<Job, "status">, noun: string): string {
  if (!isTerminal(job.status)) return `The ${noun} appears once the run has written it.`;
  if (job.status === "completed") return `This run wrote no ${noun}.`;
  return `This run was ${job.status} before it wrote its ${noun}.`;
}

export function RunReport(props: { job: Pick<Job, "status">; artifacts: Artifact[] | undefined }) {
  const summaryFile = useArtifactText(findArtifact(props.artifacts, "summary.json"));
  const moleculesFile = useArtifactText(findArtifact(props.artifacts, "molecules.json"));
  const countsFile = useArtifactText(findArtifact(props.artifacts, "species_counts.csv"));
  const summary = useMemo(() => (summaryFile.text !== null ? parseSummary(parseJson(summaryFile.text)) : null), [summaryFile.text]);
  const molecules = useMemo(
    () => (moleculesFile.text !== null ? parseMolecules(parseJson(moleculesFile.text)) : null),
    [moleculesFile.text],
  );
  const species = molecules ?? summary?.topSpecies ?? null;
  const top = useMemo(
    () => (species ?? []).slice().sort((a, b) => (b.maxCount ?? 0) - (a.maxCount ?? 0)),
    [species],
  );

  const hasRecrossings = summary?.topReactions.some((r) => r.recrossings !== null) ?? false;
  return (
    <section aria-labelledby="report-title" class="run-report">
      <h2 id="report-title">Run report</h2>
      {summaryFile.error !== null && <ErrorNotice error={summaryFile.error} what="summary.json" />}
      {summary ? (
        <dl class="report-facts">
          <div>
            <dt>Species</dt>
            <dd>{summary.speciesCount !== null ? formatNumber(summary.speciesCount) : "–"}</dd>
          </div>
          <div>
            <dt>Reactions</dt>
            <dd>{summary.reactionCount !== null ? formatNumber(summary.reactionCount) : "–"}</dd>
          </div>
          <div>
            <dt>Runtime</dt>
            <dd>{summary.runtimeSeconds !== null ? formatDuration(summary.runtimeSeconds) : "–"}</dd>
          </div>
        </dl>
      ) : (
        <p class="muted">{missingText(props.job, "summary")}</p>
      )}

      <h3 id="species-title">Species</h3>
      {moleculesFile.error !== null && <ErrorNotice error={moleculesFile.error} what="molecules.json" />}
      {species ? <SpeciesTable species={species} /> : <p class="muted">{missingText(props.job, "species list")}</p>}

      <div class="report-columns">
        <section aria-labelledby="reactions-title">
          <h3 id="reactions-title">Top reactions</h3>
          {summary && summary.topReactions.length > 0 ? (
            <div class="table-scroll">
            <table class="reactions-table">
              <caption class="visually-hidden">The most frequent reactions</caption>
              <thead>
                <tr>
                  <th scope="col">Reaction</th>
                  <th scope="col" class="numeric">Count</th>
                  {hasRecrossings && <th scope="col" class="numeric">Recrossings</th>}
                  <th scope="col" class="numeric">First (step)</th>
                </tr>
              </thead>
              <tbody>
                {summary.topReactions.slice(0, TOP_REACTIONS_SHOWN).map((r) => (
                  <tr key={r.equation}>
                    <td data-label="Reaction">
                      <span class="formula">{r.formulaEquation}</span>
                      {r.equation !== r.formulaEquation && <span class="reaction-keys">{r.equation}</span>}
                    </td>
                    <td data-label="Count" class="numeric">{r.count !== null ? formatNumber(r.count) : "–"}</td>
                    {hasRecrossings && (
                      <td data-label="Recrossings" class="numeric">
                        {r.recrossings !== null ? formatNumber(r.recrossings) : "–"}
                      </td>
                    )}
                    <td data-label="First" class="numeric">{r.firstStep !== null ? formatNumber(r.firstStep) : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          ) : (
            <p class="muted">{summary ? "No reactions happened." : missingText(props.job, "reaction list")}</p>
          )}
        </section>
        <section aria-labelledby="appearances-title">
          <h3 id="appearances-title">First appearances</h3>
          {species ? <FirstAppearances species={species} /> : <p class="muted">{missingText(props.job, "species list")}</p>}
        </section>
      </div>

      <h3 id="species-counts-title">Top species over time</h3>
      {countsFile.text !== null ? (
        <SpeciesCountsChart csv={countsFile.text} top={top} />
      ) : (
        <p class="muted">{missingText(props.job, "species count table")}</p>
      )}
    </section>
  );
}

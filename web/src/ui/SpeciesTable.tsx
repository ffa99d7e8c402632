// Every species of the run (molecules.json): a search box over formula and structure key, and column headers that
// sort (a button in each header; aria-sort says the current order). Long lists show the first PAGE_ROWS matches.

import { useMemo, useState } from "preact/hooks";
import { formatNumber } from "../lib/format";
import { Species, SpeciesColumn, SpeciesOrder, selectSpecies } from "../lib/report";

const PAGE_ROWS = 100;

const COLUMNS: { column: SpeciesColumn; label: string; numeric: boolean }[] = [
  { column: "formula", label: "Formula", numeric: false },
  { column: "key", label: "Structure key", numeric: false },
  { column: "firstSeenStep", label: "First seen (step)", numeric: true },
  { column: "finalCount", label: "Final count", numeric: true },
  { column: "maxCount", label: "Max count", numeric: true },
];

function cell(value: string | number | null): string {
  return value === null ? "–" : typeof value === "number" ? formatNumber(value) : value;
}

export function SpeciesTable(props: { species: Species[] }) {
  const [search, setSearch] = useState("");
  const [order, setOrder] = useState<SpeciesOrder>({ column: "finalCount", descending: true });
  const shown = useMemo(() => selectSpecies(props.species, search, order), [props.species, search, order]);
  const sortBy = (column: SpeciesColumn) =>
    setOrder((current) =>
      current.column === column
        ? { column, descending: !current.descending }
        : { column, descending: COLUMNS.find((c) => c.column === column)!.numeric },
    );
  return (
    <div class="species">
      <div class="field field-inline">
        <label for="species-search">Search species</label>
        <input
          id="species-search"
          type="search"
          value={search}
          placeholder="formula or key, e.g. CH4"
          aria-describedby="species-count"
          onInput={(event) => setSearch((event.target as HTMLInputElement).value)}
        />
        <span id="species-count" class="hint" aria-live="polite">
          {shown.length === props.species.length
            ? `${formatNumber(shown.length)} species`
            : `${formatNumber(shown.length)} of ${formatNumber(props.species.length)} species match`}
        </span>
      </div>
      <div class="table-scroll">
        <table class="species-table">
          <caption class="visually-hidden">Species of the run, sortable by each column</caption>
          <thead>
            <tr>
              {COLUMNS.map(({ column, label, numeric }) => (
                <th
                  key={column}
                  scope="col"
                  class={numeric ? "numeric" : undefined}
                  aria-sort={order.column === column ? (order.descending ? "descending" : "ascending") : "none"}
                >
                  <button type="button" class="sort-button" onClick={() => sortBy(column)}>
                    {label}
                    <span aria-hidden="true">{order.column === column ? (order.descending ? " ▼" : " ▲") : ""}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, PAGE_ROWS).map((s) => (
              <tr key={s.key}>
                <td data-label="Formula" class="formula">{s.formula}</td>
                <td data-label="Key" class="cell-id">{s.key}</td>
                <td data-label="First seen" class="numeric">{cell(s.firstSeenStep)}</td>
                <td data-label="Final" class="numeric">{cell(s.finalCount)}</td>
                <td data-label="Max" class="numeric">{cell(s.maxCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length > PAGE_ROWS && (
        <p class="hint">
          Showing the first {PAGE_ROWS} of {formatNumber(shown.length)}; search to narrow the list.
        </p>
      )}
    </div>
  );
}

// The open_chemistry composition: one fraction per element (H C N O P S), normalised by the server.

import { inputId } from "../lib/fieldErrors";
import { DEFAULT_COMPOSITION, ELEMENTS, ElementSymbol, PATHS } from "../lib/params";
import { FieldErrors, describedBy } from "./FieldErrors";
import { NumberField } from "./NumberField";

export function CompositionFields(props: {
  composition: Record<ElementSymbol, string>;
  errorsFor: (path: string) => string[] | undefined;
  onChange: (symbol: ElementSymbol, value: string) => void;
}) {
  const id = inputId(PATHS.composition);
  const groupErrors = props.errorsFor(PATHS.composition);
  return (
    <fieldset aria-describedby={describedBy(id, groupErrors)}>
      <legend>Composition</legend>
      <p class="hint" id={`${id}-hint`}>
        Fraction of atoms per element, normalised by the server; 0 leaves the element out. Default H 0.5, C 0.2, N 0.1,
        O 0.2. Several values for an element (0.1, 0.2) sweep it.
      </p>
      <FieldErrors id={id} messages={groupErrors} />
      <div class="field-grid field-grid-compact">
        {ELEMENTS.map((symbol) => (
          <NumberField
            key={symbol}
            field={{ name: symbol, label: symbol, integer: false, defaultValue: DEFAULT_COMPOSITION[symbol], min: 0, max: null, unit: "", help: "" }}
            path={PATHS.element(symbol)}
            value={props.composition[symbol]}
            errors={props.errorsFor(PATHS.element(symbol))}
            onInput={(value) => props.onChange(symbol, value)}
          />
        ))}
      </div>
    </fieldset>
  );
}

// config.energy_sources as an editable list. Unticked, the field is left to the server (the preset's sources, none
// for open chemistry); ticked, exactly the listed sources are sent (an empty list means none).

import { inputId } from "../lib/fieldErrors";
import { ENERGY_SOURCE_FIELDS, EnergySourceFieldName, PATHS } from "../lib/params";
import { newEnergySource } from "../lib/request";
import { CheckboxField } from "./CheckboxField";
import { FieldErrors } from "./FieldErrors";
import { NumberField } from "./NumberField";

type Source = Record<EnergySourceFieldName, string>;

export function EnergySourcesEditor(props: {
  enabled: boolean;
  sources: Source[];
  errorsFor: (path: string) => string[] | undefined;
  onEnabledChange: (enabled: boolean) => void;
  onSourcesChange: (sources: Source[]) => void;
}) {
  const { sources, onSourcesChange } = props;
  const setField = (index: number, name: EnergySourceFieldName, value: string) =>
    onSourcesChange(sources.map((source, i) => (i === index ? { ...source, [name]: value } : source)));
  return (
    <fieldset>
      <legend>Energy sources</legend>
      <CheckboxField
        path={PATHS.energySources}
        label="Choose the energy sources myself"
        hint="Discs where the heat bath is hotter, optionally pulsed (lightning, vents). Position and radius are fractions of the box side. Default: the preset's sources, none for open chemistry."
        checked={props.enabled}
        errors={props.errorsFor(PATHS.energySources)}
        onChange={props.onEnabledChange}
      />
      {props.enabled && (
        <>
          {sources.length === 0 && <p class="muted">No energy sources: the whole box is at the bath temperature.</p>}
          <ol class="sources">
            {sources.map((source, index) => {
              const sourceId = inputId(PATHS.energySource(index));
              return (
                <li key={index} class="source" aria-labelledby={`${sourceId}-title`}>
                  <div class="source-head">
                    <h3 id={`${sourceId}-title`}>Source {index + 1}</h3>
                    <button
                      type="button"
                      class="button-link"
                      onClick={() => onSourcesChange(sources.filter((_, i) => i !== index))}
                    >
                      Remove source {index + 1}
                    </button>
                  </div>
                  <FieldErrors id={sourceId} messages={props.errorsFor(PATHS.energySource(index))} />
                  <div class="field-grid field-grid-compact">
                    {ENERGY_SOURCE_FIELDS.map((field) => (
                      <NumberField
                        key={field.name}
                        field={field}
                        path={PATHS.energySourceField(index, field.name)}
                        value={source[field.name]}
                        errors={props.errorsFor(PATHS.energySourceField(index, field.name))}
                        onInput={(value) => setField(index, field.name, value)}
                      />
                    ))}
                  </div>
                </li>
              );
            })}
          </ol>
          <button type="button" class="button" onClick={() => onSourcesChange([...sources, newEnergySource()])}>
            Add energy source
          </button>
        </>
      )}
    </fieldset>
  );
}

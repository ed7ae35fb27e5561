// Key details: who owns the key, its name and validity, the host it is bound to, and the request
// the test makes (endpoint and success rule), with a description for the next admin.
import { useFormContext, useWatch } from 'react-hook-form';
import { formatJsonRule, PRESETS } from '../../../shared/presets';
import { Field } from './Field';
import { useFormExtras } from './form-context';
import type { FormValues } from './form-values';

export function KeyDetailsSection() {
  const { register, control } = useFormContext<FormValues>();
  const { endpoints, mark } = useFormExtras();
  const [presetId, neverExpires] = useWatch({ control, name: ['preset', 'neverExpires'] });
  const preset = PRESETS[presetId];
  return (
    <>
      <div className="field-row">
        <Field name="owner" label="Token owner (service account)">
          {(c) => <input {...c} {...register('owner')} autoComplete="off" placeholder="e.g. user_portal_max" />}
        </Field>
        <Field name="keyName" label="Key name">
          {(c) => <input {...c} {...register('keyName')} autoComplete="off" />}
        </Field>
      </div>
      <div className="field-row">
        <Field
          name="expiresOn"
          label="Expires on"
          after={
            <label className="checkbox">
              <input type="checkbox" {...register('neverExpires')} /> Never expires
            </label>
          }
        >
          {(c) => <input {...c} type="date" {...register('expiresOn')} disabled={neverExpires} />}
        </Field>
        <Field name="boundHost" label="Bound to host" help="The workstation an API user is bound to, if any.">
          {(c) => <input {...c} {...register('boundHost')} autoComplete="off" />}
        </Field>
      </div>
      <Field
        name="endpoint"
        label="Test endpoint"
        className={mark?.field === 'endpoint' ? 'is-marked' : undefined}
        note={mark?.field === 'endpoint' ? <p>The last test got 404 Not Found for this request: check the path (and the product chosen in General).</p> : null}
        help={`Empty: ${preset.endpoint}, ${preset.product}'s own.`}
      >
        {(c) => (
          <>
            <input {...c} {...register('endpoint')} list={`${c.id}-choices`} autoComplete="off" spellCheck={false} placeholder={preset.endpoint} />
            <datalist id={`${c.id}-choices`}>
              {endpoints.map((e) => (
                <option key={e} value={e} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field
        name="successRule"
        label="Success rule"
        help={`Success only when the JSON answer has this value (PATH=VALUE; true, false, null and numbers are JSON).${preset.successRule ? ` Empty: ${formatJsonRule(preset.successRule)}, ${preset.product}'s own.` : ''}`}
      >
        {(c) => <input {...c} {...register('successRule')} autoComplete="off" spellCheck={false} placeholder={preset.successRule ? formatJsonRule(preset.successRule) : 'status=ok'} />}
      </Field>
      <Field name="description" label="Description">
        {(c) => <textarea {...c} rows={2} {...register('description')} />}
      </Field>
    </>
  );
}

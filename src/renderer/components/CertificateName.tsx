// One certificate name (a subject or an issuer) as its fields on one wrapping line:
// "CN keymanager.example.com · OU IT · O Example Corp · C FI", most specific first, each type an
// <abbr> with its words ("Common name") as its title. A text that is no name shows as it is.
// Parsing (bounded, never throwing: a server chooses its names) is src/shared/distinguished-name.ts.
import { useMemo } from 'react';
import { nameSummary, parseDistinguishedName } from '../../shared/distinguished-name';

export function CertificateName({ name, className }: { name: string; className?: string }) {
  const parsed = useMemo(() => parseDistinguishedName(name), [name]);
  const classes = className ? `cert-name ${className}` : 'cert-name';
  if (parsed.fields.length === 0) return <span className={`${classes} cert-name-raw`}>{nameSummary(name)}</span>;
  return (
    <>
      <dl className={classes}>
        {parsed.fields.map((field, i) => (
          // Fields repeat (OU, DC) and never move: the position is their identity.
          // Whitespace between the groups lets the line wrap between fields, not inside one's type.
          <div className="cert-name-field" key={i}>
            {i > 0 ? ' ' : null}
            {/* The type as certificates write it, its words in the tooltip; a no-break space keeps it with its value (and in a copy). */}
            <dt>
              {field.label === field.key ? field.key : <abbr title={field.label}>{field.key}</abbr>}
              {'\u00a0'}
            </dt>
            <dd>
              {field.value === '' ? <span className="muted">(empty)</span> : field.value}
              {i < parsed.fields.length - 1 ? (
                <span className="cert-name-separator" aria-hidden="true">
                  {'\u00a0·'}
                </span>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
      {parsed.complete ? null : <span className="muted"> … (too long to show in full)</span>}
    </>
  );
}

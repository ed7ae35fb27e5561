// What a test result (or a tested rotation) is about: where the secret goes, how it is sent, what is
// trusted and which secret it was. A result applies to a record only while these are unchanged; a
// rename or a new description does not make it stale.
import type { ConnectionRecord } from '../store/connection-record';

const testedSettings = (r: ConnectionRecord): string =>
  JSON.stringify([r.serverAddress, r.preset, r.endpoint, r.successRule, r.auth, r.trust, r.clientCertificate, r.proxy, r.token.hint]);

export function sameTestedSettings(a: ConnectionRecord, b: ConnectionRecord): boolean {
  return testedSettings(a) === testedSettings(b);
}

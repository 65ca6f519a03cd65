import type { LinkFactory } from './link.js';
import type { PortLoan } from '../transport/port-handover-client.js';

/**
 * For `flash --monitor`: ports borrowed from a running esp-sse monitor stay borrowed after the
 * flash, while this command monitors the board itself (else the lending monitor would take the
 * port back first and the flash's monitor would find it busy); they go back to their monitors
 * with {@link KeptLoans.giveBackAll}, without a reset (this command did that).
 */
export interface KeptLoans {
  /** `link` whose loans are only recorded when the flasher gives them back. */
  readonly link: LinkFactory;
  /** How many ports are held for their monitors now. */
  readonly count: number;
  giveBackAll(): Promise<void>;
}

export function keepLoans(link: LinkFactory): KeptLoans {
  const loans: PortLoan[] = [];
  const borrow = link.borrow?.bind(link);
  return {
    link: !borrow ? link : {
      createTransport: (name) => link.createTransport(name),
      toWebSerial: (t, info) => link.toWebSerial(t, info),
      borrow: async (name, warn) => {
        const r = await borrow(name, warn);
        if (r.kind !== 'lent') return r;
        loans.push(r.loan);
        const held: PortLoan = { lender: r.loan.lender, get lenderPresent() { return r.loan.lenderPresent; }, giveBack: async () => {} };
        return { kind: 'lent', loan: held };
      },
    },
    get count() {
      return loans.length;
    },
    async giveBackAll() {
      await Promise.all(loans.splice(0).map((l) => l.giveBack({ reset: false })));
    },
  };
}

import { paidOrdersReport } from './bench-reporting.ts';
const t = Date.now();
await paidOrdersReport('http://localhost:21000', { basePort: 21000, record: (...a) => console.log(JSON.stringify(a)), budgets: {} });
console.log('total', Date.now() - t);

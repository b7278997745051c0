import { Pool } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../prisma/generated/client';
async function main() {
  const pool = new Pool({ connectionString: process.argv[2] });
  const orig = pool.query.bind(pool) as any;
  (pool as any).query = (...a: any[]) => {
    const q = a[0];
    console.log('SQL', typeof q === 'string' ? q : q.text, JSON.stringify(typeof q === 'string' ? a[1] : q.values));
    return orig(...a);
  };
  const origConnect = pool.connect.bind(pool) as any;
  (pool as any).connect = (...a: any[]) => {
    console.log('CONNECT (tx)');
    return origConnect(...a);
  };
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  await prisma.user.upsert({
    where: { username: 'zed' },
    create: { username: 'zed', dateOfBirth: new Date('2000-01-01T00:00:00Z') },
    update: { dateOfBirth: new Date('2000-01-01T00:00:00Z') },
    select: { username: true },
  });
  await prisma.user.findUnique({ where: { username: 'zed' }, select: { dateOfBirth: true } });
  await prisma.$disconnect();
  await pool.end();
}
main();

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion, type Migration } from '../src/index.js';

const dbs: Database.Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});
const memory = () => {
  const db = new Database(':memory:');
  dbs.push(db);
  return db;
};
const step = (version: number, sql: string): Migration => ({ version, name: `step ${version}`, up: (db) => db.exec(sql) });

describe('migrate', () => {
  it('applies only the steps a database has not had, in order', () => {
    const db = memory();
    expect(migrate(db, [step(1, 'CREATE TABLE a (x)')])).toEqual([1]);
    expect(migrate(db, [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE b (x)')])).toEqual([2]);
    expect(migrate(db, [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE b (x)')])).toEqual([]);
    expect(schemaVersion(db)).toBe(2);
  });

  it('leaves a failed step out entirely, version included', () => {
    const db = memory();
    expect(() => migrate(db, [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE b (x); CREATE TABLE a (y)')])).toThrow(/already exists/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
  });

  it('rejects steps numbered out of order', () => {
    expect(() => migrate(memory(), [step(1, 'SELECT 1'), step(3, 'SELECT 1')])).toThrow(/has version 3, expected 2/);
  });
});

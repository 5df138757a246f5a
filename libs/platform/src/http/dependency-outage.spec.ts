import { describe, expect, it } from 'vitest';
import { dependencyOutageOf } from './dependency-outage.js';

/** Shaped as node-postgres raises them (a DatabaseError carries the SQLSTATE in `code`), or as TypeORM wraps them. */
const postgresError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });
const wrapped = (driverError: Error) => Object.assign(new Error(`query failed: ${driverError.message}`), { driverError });

describe('dependencyOutageOf', () => {
  it('knows the database out of reach by the socket, the server or the driver', () => {
    expect(dependencyOutageOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toEqual({
      dependency: 'database',
      cause: 'ECONNREFUSED',
    });
    expect(dependencyOutageOf(postgresError('57P01', 'terminating connection due to administrator command'))?.cause).toBe('57P01');
    expect(dependencyOutageOf(postgresError('57P03', 'the database system is starting up'))?.cause).toBe('57P03');
    expect(dependencyOutageOf(postgresError('08006', 'connection failure'))?.cause).toBe('08006');
    expect(dependencyOutageOf(postgresError('53300', 'sorry, too many clients already'))?.cause).toBe('53300');
    expect(dependencyOutageOf(postgresError('55000', 'database "orders" is not currently accepting connections'))?.cause).toBe('55000');
    expect(dependencyOutageOf(new Error('Connection terminated unexpectedly'))?.cause).toBe('Connection terminated');
    expect(dependencyOutageOf(new Error('timeout exceeded when trying to connect'))?.cause).toBe('timeout exceeded when trying to connect');
    expect(dependencyOutageOf(wrapped(postgresError('57P01', 'terminating connection')))?.cause).toBe('57P01');
  });

  it('knows the broker out of reach by kafkajs’ errors', () => {
    const kafkaError = (name: string) => Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name });
    expect(dependencyOutageOf(kafkaError('KafkaJSConnectionError'))).toEqual({ dependency: 'broker', cause: 'KafkaJSConnectionError' });
    const retried = (cause: Error) => Object.assign(kafkaError('KafkaJSNumberOfRetriesExceeded'), { cause });
    expect(dependencyOutageOf(retried(kafkaError('KafkaJSConnectionError')))?.dependency).toBe('broker');
    // Retried because the topic does not exist: a mistake of ours, not an outage.
    expect(dependencyOutageOf(retried(kafkaError('KafkaJSProtocolError')))).toBeUndefined();
    expect(dependencyOutageOf(kafkaError('KafkaJSProtocolError'))).toBeUndefined();
  });

  it('leaves bugs and refusals of ours as they are', () => {
    expect(dependencyOutageOf(postgresError('23505', 'duplicate key value violates unique constraint'))).toBeUndefined();
    expect(dependencyOutageOf(postgresError('42P01', 'relation "nope" does not exist'))).toBeUndefined();
    expect(dependencyOutageOf(postgresError('08P01', 'bind message has 70000 parameter formats but 0 parameters'))).toBeUndefined();
    expect(dependencyOutageOf(postgresError('08007', 'transaction resolution unknown'))).toBeUndefined();
    expect(dependencyOutageOf(postgresError('55000', 'object not in prerequisite state'))).toBeUndefined();
    expect(dependencyOutageOf(wrapped(postgresError('40001', 'could not serialize access')))).toBeUndefined();
    expect(dependencyOutageOf(new TypeError('cannot read properties of undefined'))).toBeUndefined();
    expect(dependencyOutageOf('a string')).toBeUndefined();
    expect(dependencyOutageOf(null)).toBeUndefined();
  });
});

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments' own tables. Ledgers (gift_card_entry, points_entry) and the payment log are
 * append-only; balances and states are kept beside them under CHECKs, changed only together
 * with a ledger or log row in one transaction.
 */
export class PaymentsSchema1764063000000 implements MigrationInterface {
  name = 'PaymentsSchema1764063000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      // Serial numbers of ours: P/R + date + a number from this sequence (see serial.ts).
      `CREATE SEQUENCE txn_serial_seq`,
      // Payments' copy of the orders it may take money for (order.placed / order.cancelled).
      `CREATE TABLE payable_order (
        order_id uuid PRIMARY KEY,
        buyer_id text,
        currency char(3),
        payable_minor bigint CHECK (payable_minor >= 0),
        state text NOT NULL CHECK (state IN ('OPEN', 'CLOSED')),
        close_reason text,
        placed_at timestamptz,
        payment_due_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE payment (
        id uuid PRIMARY KEY,
        serial text NOT NULL UNIQUE,
        order_id uuid NOT NULL,
        buyer_id text NOT NULL,
        currency char(3) NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        state text NOT NULL,
        provider text,
        provider_ref text,
        client_action jsonb,
        refunded_minor bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        succeeded_at timestamptz
      )`,
      // Two attempts on one order can never both be live: the second insert fails.
      `CREATE UNIQUE INDEX payment_one_active_per_order ON payment (order_id)
         WHERE state IN ('CREATED', 'PENDING', 'SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED')`,
      `CREATE INDEX payment_order ON payment (order_id, created_at)`,
      `CREATE UNIQUE INDEX payment_provider_ref ON payment (provider, provider_ref) WHERE provider_ref IS NOT NULL`,
      `CREATE TABLE tender (
        id bigserial PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES payment (id),
        position int NOT NULL,
        type text NOT NULL CHECK (type IN ('GIFT_CARD', 'POINTS', 'PROVIDER')),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        gift_card_code text,
        points bigint,
        provider text,
        state text NOT NULL CHECK (state IN ('HELD', 'CAPTURED', 'RELEASED')),
        refunded_minor bigint NOT NULL DEFAULT 0,
        refunded_points bigint NOT NULL DEFAULT 0,
        captured_at timestamptz,
        CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
        UNIQUE (payment_id, position)
      )`,
      `CREATE TABLE payment_log (
        id bigserial PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES payment (id),
        order_id uuid NOT NULL,
        from_state text,
        to_state text NOT NULL,
        reason text,
        detail jsonb,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`,
      `CREATE INDEX payment_log_payment ON payment_log (payment_id, id)`,
      `CREATE INDEX payment_log_order ON payment_log (order_id, id)`,
      // Idempotency-Key of POST …/payments: the first answer, replayed for the same body.
      `CREATE TABLE payment_request (
        buyer_id text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        order_id uuid NOT NULL,
        payment_id uuid NOT NULL,
        status int,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (buyer_id, idempotency_key)
      )`,
      `CREATE INDEX payment_request_created ON payment_request (created_at)`,
      `CREATE TABLE gift_card (
        code text PRIMARY KEY,
        currency char(3) NOT NULL,
        initial_minor bigint NOT NULL CHECK (initial_minor > 0),
        balance_minor bigint NOT NULL CHECK (balance_minor >= 0),
        expires_at timestamptz,
        issued_by text,
        issued_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE gift_card_entry (
        id bigserial PRIMARY KEY,
        code text NOT NULL REFERENCES gift_card (code),
        kind text NOT NULL CHECK (kind IN ('ISSUE', 'DEBIT', 'CREDIT')),
        delta_minor bigint NOT NULL CHECK (delta_minor <> 0),
        balance_after bigint NOT NULL CHECK (balance_after >= 0),
        order_id uuid,
        payment_id uuid,
        refund_id uuid,
        reason text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`,
      `CREATE INDEX gift_card_entry_code ON gift_card_entry (code, id)`,
      `CREATE INDEX gift_card_entry_order ON gift_card_entry (order_id) WHERE order_id IS NOT NULL`,
      `CREATE TABLE points_account (
        buyer_id text PRIMARY KEY,
        balance bigint NOT NULL CHECK (balance >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE points_entry (
        id bigserial PRIMARY KEY,
        buyer_id text NOT NULL REFERENCES points_account (buyer_id),
        kind text NOT NULL CHECK (kind IN ('GRANT', 'DEBIT', 'CREDIT')),
        delta_points bigint NOT NULL CHECK (delta_points <> 0),
        balance_after bigint NOT NULL CHECK (balance_after >= 0),
        order_id uuid,
        payment_id uuid,
        refund_id uuid,
        grant_id text UNIQUE,
        reason text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`,
      `CREATE INDEX points_entry_buyer ON points_entry (buyer_id, id)`,
      `CREATE INDEX points_entry_order ON points_entry (order_id) WHERE order_id IS NOT NULL`,
      `CREATE TABLE refund (
        id uuid PRIMARY KEY,
        refund_key text NOT NULL UNIQUE,
        request_hash text NOT NULL,
        serial text NOT NULL UNIQUE,
        order_id uuid NOT NULL,
        payment_id uuid REFERENCES payment (id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        reason text NOT NULL,
        source text NOT NULL CHECK (source IN ('EVENT', 'STAFF', 'AUTO')),
        state text NOT NULL CHECK (state IN ('PENDING', 'SUCCEEDED', 'FAILED', 'REJECTED')),
        failure text,
        requested_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`,
      `CREATE INDEX refund_order ON refund (order_id, created_at)`,
      `CREATE TABLE refund_part (
        id bigserial PRIMARY KEY,
        refund_id uuid NOT NULL REFERENCES refund (id),
        tender_id bigint NOT NULL REFERENCES tender (id),
        type text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        points bigint,
        provider text,
        provider_ref text,
        state text NOT NULL CHECK (state IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        completed_at timestamptz
      )`,
      `CREATE INDEX refund_part_pending ON refund_part (next_attempt_at) WHERE state = 'PENDING'`,
      // Every verified provider callback, once: the key is the provider's own notification id.
      `CREATE TABLE provider_event (
        provider text NOT NULL,
        event_id text NOT NULL,
        provider_type text NOT NULL,
        payment_id uuid,
        outcome text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, event_id)
      )`,
      `CREATE INDEX provider_event_payment ON provider_event (payment_id) WHERE payment_id IS NOT NULL`,
      `CREATE TABLE reconciliation_report (
        id uuid PRIMARY KEY,
        provider text NOT NULL,
        settlement_date date NOT NULL,
        file_name text,
        file_sha256 text NOT NULL,
        ours_count int NOT NULL,
        theirs_count int NOT NULL,
        matched_count int NOT NULL,
        mismatches jsonb NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX reconciliation_report_day ON reconciliation_report (provider, settlement_date, created_at DESC)`,
      // The sandbox provider's own books (it is a simulator living in this service).
      `CREATE TABLE sandbox_charge (
        intent_id text PRIMARY KEY,
        payment_serial text NOT NULL UNIQUE,
        amount_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz
      )`,
      `CREATE TABLE sandbox_refund (
        refund_serial text PRIMARY KEY,
        refund_ref text NOT NULL UNIQUE,
        intent_id text NOT NULL REFERENCES sandbox_charge (intent_id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'sandbox_refund',
      'sandbox_charge',
      'reconciliation_report',
      'provider_event',
      'refund_part',
      'refund',
      'points_entry',
      'points_account',
      'gift_card_entry',
      'gift_card',
      'payment_request',
      'payment_log',
      'tender',
      'payment',
      'payable_order',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query('DROP SEQUENCE txn_serial_seq');
  }
}

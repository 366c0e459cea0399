UPDATE parking_sessions SET fee_cents = NULL;

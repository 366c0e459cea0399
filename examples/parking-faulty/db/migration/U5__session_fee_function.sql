DROP FUNCTION session_fee(timestamptz, timestamptz);

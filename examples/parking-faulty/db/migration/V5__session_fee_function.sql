-- Fee in cents: first 30 minutes free, then 250 per started hour, capped at 2400 a day.
CREATE FUNCTION session_fee(entered timestamptz, exited timestamptz) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $fee$
DECLARE
    minutes integer := ceil(extract(epoch FROM (exited - entered)) / 60);
    days    integer := minutes / 1440;
    rest    integer := minutes % 1440;
BEGIN
    IF minutes <= 30 THEN
        RETURN 0; -- free; a ';' inside the body does not end the statement
    END IF;
    RETURN days * 2400 + least(2400, ceil(rest / 60.0)::integer * 250);
END;
$fee$;

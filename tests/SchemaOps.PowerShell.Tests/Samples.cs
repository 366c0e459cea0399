namespace SchemaOps.PowerShell.Tests;

/// <summary>
/// One realistic object of every type SchemaOps emits, built in PowerShell (names, paths, messages and versions as
/// long as real ones get: dbmate's and golang-migrate's are 14-digit timestamps), for the views and the report to be checked against.
/// </summary>
public static class Samples
{
    public const string Script = """
        $at = [datetime]'2026-11-25 21:30:00'
        $v = { param($t) [SchemaOps.MigrationVersion]::Parse($t) }
        $long = 'postgres@db01.eu-west-1.internal.example:5432/parking_production'
        $snapshot = [SchemaOps.SchemaSnapshot]@{ Database = $long; TakenAt = $at; ServerVersion = '15.18'; MigrationVersion = (& $v '20241125213000') }
        $check = [SchemaOps.RehearsalCheck]@{ Name = 'undo restores the state before'; Passed = $false; Detail = 'U12 leaves column parking_spots.tariff_id behind'; Problems = [string[]]@('Added Column public.parking_spots.tariff_id') }
        @(
            [SchemaOps.MigrationInfo]@{ Version = (& $v '2024.11.25.1'); Description = 'add tariff to parking spots and backfill'; State = 'Success'; InstalledOn = $at; ExecutionTime = 12345; Script = 'V2024.11.25.1__add_tariff_to_parking_spots.sql' }
            [SchemaOps.MigrationImpact]@{ Migration = 'V2024.11.25.1 add tariff to parking spots and backfill'; Script = 'db/migration/V2024.11.25.1__add_tariff_to_parking_spots.sql'; Line = 3; Statement = 'ALTER TABLE parking_spots ADD COLUMN tariff_id bigint DEFAULT nextval(''tariff_seq'')'; LockMode = 'ACCESS EXCLUSIVE'; Work = 'rewrites the table'; Tables = [Collections.Generic.List[string]]@('public.parking_spots'); Bytes = 123456789012; Rows = 98765432; Blockers = [Collections.Generic.List[string]]@('pid 4242 (app, parking-api, idle in transaction for 312 s) holds AccessShareLock on parking_spots'); Findings = [Collections.Generic.List[string]]@('adding-field-with-default', 'prefer-bigint-over-int') }
            [SchemaOps.MigrationResult]@{ Version = (& $v '20241125213000'); Description = 'add tariff to parking spots and backfill'; Outcome = 'Applied'; ExecutionTime = 1234; InTransaction = $true; Database = $long }
            [SchemaOps.ValidationResult]@{ Name = 'V12 add tariff to parking spots'; Passed = $false; Kind = 'ChecksumMismatch'; Detail = 'V12 add tariff to parking spots: checksum mismatch (applied 1467694434, local -1437302404)' }
            [SchemaOps.BaselineResult]@{ Version = (& $v '20241125213000'); Description = '<< Flyway Baseline >>'; InstalledRank = 1; Created = $true; Database = $long }
            [SchemaOps.ScriptChecksum]@{ Checksum = -1437302404; Path = '/srv/deploy/parking/db/migration/V12__add_tariff_to_parking_spots.sql' }
            [SchemaOps.RepairChange]@{ Action = 'AlignedChecksum'; Version = (& $v '20241125213000'); Description = 'add tariff to parking spots'; InstalledRank = 14; Before = '1467694434'; After = '-1437302404'; Database = $long }
            [SchemaOps.MigrationFile]@{ Version = (& $v '20241125213000'); Description = 'add permits'; Kind = 'Versioned'; Path = '/srv/deploy/parking/db/migration/V19__add_permits.sql' }
            [SchemaOps.FleetResult]@{ Database = $long; Succeeded = $false; Applied = 3; Versions = [string[]]@('10', '11', '12'); ElapsedMilliseconds = 123456; ErrorId = 'LockTimeout'; Error = 'V13 waited for a lock held by pid 4242 (app, idle in transaction since 21:29:00)' }
            [SchemaOps.CleanedSchema]@{ Schema = 'parking'; ObjectsDropped = 42; SchemaDropped = $false; Database = $long }
            $snapshot
            [SchemaOps.SchemaDifference]@{ Kind = 'Column'; Schema = 'public'; Name = 'parking_spots.tariff_id'; Change = 'Added'; Difference = '#7 bigint NULL REFERENCES tariffs(id)' }
            [SchemaOps.LockReportEntry]@{ TakenAt = $at; Pid = 4242; Depth = 1; Granted = $false; Mode = 'AccessExclusiveLock'; LockType = 'relation'; Target = 'public.parking_sessions'; WaitSeconds = 12.5; User = 'app'; Application = 'parking-api'; State = 'active'; Query = 'ALTER TABLE parking_sessions ADD COLUMN fee_cents integer NOT NULL DEFAULT 0'; Database = 'parking' }
            [SchemaOps.DatabaseBackup]@{ Path = '/backups/parking/pre-migration-2026-11-25.dump'; Format = 'Custom'; SizeBytes = 123456789; Sha256 = ('ab' * 32); DurationMilliseconds = 12345; Database = $long; MigrationVersion = (& $v '20241125213000'); Snapshot = $snapshot }
            [SchemaOps.SchemaDump]@{ Path = '/srv/deploy/parking/db/schema.sql'; Database = $long; Versions = 19; MigrationVersion = (& $v '20241125213000'); SizeBytes = 48213; Changed = $true; PgDumpVersion = 15; DurationMilliseconds = 187 }
            [SchemaOps.BackupTestResult]@{ Backup = '/backups/parking/pre-migration-2026-11-25.dump'; Passed = $true; TablesChecked = 12; RowsChecked = 1234567; RestoreMilliseconds = 23456; RestoredInto = 'schemaops_restore_1' }
            [SchemaOps.RestoreResult]@{ Backup = '/backups/parking/pre-migration-2026-11-25.dump'; Database = $long; Replaced = $true; DurationMilliseconds = 34567 }
            [SchemaOps.HealthCheck]@{ Name = 'LongTransactions'; Passed = $false; Detail = 'pid 4242 (app, parking-api) has had a transaction open for 612 s'; Database = $long }
            [SchemaOps.SessionActivity]@{ Pid = 4242; Database = 'parking'; User = 'app'; Application = 'parking-api'; State = 'idle in transaction'; TransactionSeconds = 612; IdleInTransaction = $true; Query = 'SELECT * FROM parking_sessions WHERE client_id = $1 FOR UPDATE' }
            [SchemaOps.ActivitySummary]@{ Server = 'db01.eu-west-1.internal.example:5432'; Connections = 87; MaxConnections = 100; UsedPercent = 87; Active = 12; Idle = 70; IdleInTransaction = 5; LongRunning = 1; WaitingForLocks = 2 }
            [SchemaOps.DatabaseReadiness]@{ Database = 'ops@db01.eu-west-1.internal.example:5432/parking'; ServerVersion = '15.14'; InRecovery = $false; Attempts = 23; WaitedSeconds = 11.482 }
            [SchemaOps.ReportFile]@{ Path = '/srv/deploy/logs/deployment-20261125-213000/deployment.html'; Format = 'Html'; Succeeded = $true; Migrations = 20; Problems = 0 }
            [SchemaOps.LintFinding]@{ File = '/srv/deploy/parking/db/migration/V2024.11.25.1__add_tariff_to_parking_spots.sql'; Line = 14; Column = 1; RuleId = 'require-concurrent-index-creation'; Severity = 'Warning'; Message = 'CREATE INDEX on parking_spots blocks every write to it until the index is built'; Suggestion = 'CREATE INDEX CONCURRENTLY ...' }
            [SchemaOps.RehearsalResult]@{ Target = 'a throwaway PostgreSQL 15'; Passed = $false; Checks = [SchemaOps.RehearsalCheck[]]@($check); Seconds = 12.3 }
            $check
            [SchemaOps.RehearsalStep]@{ Version = (& $v '20241125213000'); Description = 'add tariff to parking spots and backfill'; ApplySeconds = 1.234; UndoSeconds = 0.5; ReapplySeconds = 1.1; HasUndo = $true; Slow = $true; LintFindings = 2 }
            [SchemaOps.EphemeralDatabase]@{ Id = 'cluster-12345-abcdef12'; Host = '127.0.0.1'; Port = 54321; Database = 'postgres'; User = 'postgres'; DataDirectory = '/dev/shm/schemaops-ephemeral-0/cluster-12345-abcdef12/data'; ServerVersion = 15; StartSeconds = 0.137 }
            [SchemaOps.MigrationTarget]@{ ConnectionString = 'Host=db01;Database=parking'; Path = [string[]]@('/srv/deploy/parking/db/migration'); Environment = 'production'; Database = $long }
        )
        """;
}

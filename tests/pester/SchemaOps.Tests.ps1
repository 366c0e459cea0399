#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The module as a user meets it: import, discover, help, -WhatIf, pipelines against a real PostgreSQL, every
# exported cmdlet run for real. Needs `dotnet build SchemaOps.sln` and PostgreSQL's server binaries (the suite
# starts its own throwaway servers with New-EphemeralDatabase). tests/pester/run runs it (and installs pwsh/Pester).

BeforeAll {
    $root = Resolve-Path "$PSScriptRoot/../.."
    Import-Module "$root/SchemaOps.psd1" -Force

    # Each test gets a throwaway PostgreSQL of its own, started by the module (about 0.15 s with the template cached).
    function New-TestDatabase { (New-EphemeralDatabase -Confirm:$false).ConnectionString }
    $script:migrations = "$root/examples/parking/db/migration"
}

AfterAll {
    Remove-EphemeralDatabase -All -Confirm:$false
    Remove-Module SchemaOps -ErrorAction SilentlyContinue
}

Describe 'SchemaOps module' {
    It 'exports exactly its cmdlets' {
        # The manifest is the list (a module contract test checks it against the compiled cmdlets).
        $manifest = Import-PowerShellDataFile "$root/module/SchemaOps.psd1"
        (Get-Command -Module SchemaOps).Name | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'has help with examples for <_>' -ForEach (Import-PowerShellDataFile "$PSScriptRoot/../../module/SchemaOps.psd1").CmdletsToExport {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -Match "^\s*$_\s*\["   # not the auto-generated syntax stand-in
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        @($help.syntax.syntaxItem).Count | Should -Be (Get-Command $_).ParameterSets.Count
    }

    It 'finds its about topics' {
        Get-Help about_SchemaOps | Out-String | Should -Match 'Flyway'
        Get-Help about_SchemaOps_Runbooks | Out-String | Should -Match 'Pester'
        Get-Help about_SchemaOps_Errors | Out-String | Should -Match 'MigrationLockTimeout \(ResourceBusy, exit 5\)'
    }

    It 'runs every exported cmdlet somewhere in these suites' {
        $code = (Get-ChildItem $PSScriptRoot -Filter *.Tests.ps1 | Get-Content) -notmatch '^\s*#' -join "`n"
        (Import-PowerShellDataFile "$root/module/SchemaOps.psd1").CmdletsToExport | Where-Object { $code -notmatch "\b$_\b" } | Should -BeNullOrEmpty
    }

    It 'loads Npgsql from its Dependencies folder' {
        $npgsql = [System.Runtime.Loader.AssemblyLoadContext]::All |
            Where-Object Name -eq 'SchemaOps.Engine' | ForEach-Object Assemblies | Where-Object { $_.GetName().Name -eq 'Npgsql' }
        $npgsql.Location | Should -BeLike '*Dependencies*Npgsql.dll'
    }
}

Describe 'Invoke-Migration' {
    BeforeEach { $script:db = New-TestDatabase }

    It '-WhatIf changes nothing, not even the history table' {
        Invoke-Migration -Path $migrations -ConnectionString $db -WhatIf
        Get-MigrationStatus -Path $migrations -ConnectionString $db | Where-Object State -ne 'Pending' | Should -BeNullOrEmpty
    }

    It 'applies the example set and validates clean' {
        $results = Invoke-Migration -Path $migrations -ConnectionString $db -Confirm:$false
        $results | Should -HaveCount 20
        $results.Outcome | Sort-Object -Unique | Should -Be 'Applied'
        Test-MigrationChecksum -Path $migrations -ConnectionString $db | Where-Object { -not $_.Passed } | Should -BeNullOrEmpty
    }

    It 'takes a target object from the pipeline' {
        $target = New-MigrationTarget -ConnectionString $db -Path $migrations
        $target | Invoke-Migration -Confirm:$false | Should -HaveCount 20
        $target | Get-MigrationStatus | Where-Object State -eq 'Pending' | Should -BeNullOrEmpty
    }

    It '-DryRun writes the SQL to -OutFile and changes nothing' {
        $plan = Join-Path TestDrive: 'plan.sql'
        $planned = Invoke-Migration -Path $migrations -ConnectionString $db -DryRun -OutFile $plan
        $planned.Outcome | Sort-Object -Unique | Should -Be 'Planned'
        Get-Content $plan -Raw | Should -Match 'COMMIT;'
        Get-MigrationStatus -Path $migrations -ConnectionString $db | Where-Object State -ne 'Pending' | Should -BeNullOrEmpty
    }

    It 'applies and undoes a dbmate folder in dbmate''s own table' {
        $dbmate = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'dbmate')
        Set-Content -Path (Join-Path $dbmate '20240101000000_users.sql') -Value "-- migrate:up`nCREATE TABLE users (id int);`n-- migrate:down`nDROP TABLE users;"
        Invoke-Migration -Path $dbmate -ConnectionString $db -Confirm:$false | Should -HaveCount 1
        (Get-MigrationStatus -Path $dbmate -ConnectionString $db -Layout Dbmate).State | Should -Be 'Success'
        Undo-Migration -Path $dbmate -ConnectionString $db -Count 1 -Confirm:$false | Should -HaveCount 1
    }

    It 'fails with a stable error id on bad input' {
        $bad = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'bad')
        Set-Content -Path (Join-Path $bad 'V1.x__broken.sql') -Value 'SELECT 1;'
        { Invoke-Migration -Path $bad -ConnectionString $db -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMigrationName,SchemaOps.Commands.InvokeMigrationCommand'
    }

    It 'raises errors whose id and category about_SchemaOps_Errors documents' {
        $about = Get-Help about_SchemaOps_Errors | Out-String
        $errors = @(
            { Invoke-Migration -Path (Join-Path TestDrive: 'missing') -ConnectionString $db -ErrorAction Stop }
            { Invoke-Migration -Path $migrations -ConnectionString 'Host=;;=' -ErrorAction Stop }
            { Invoke-Migration -Path $migrations -ConnectionString $db -Target 'x.y' -ErrorAction Stop }
        ) | ForEach-Object { try { & $_; $null } catch { $_ } }
        $errors.Count | Should -Be 3
        foreach ($e in $errors) {
            $id = ($e.FullyQualifiedErrorId -split ',')[0]
            $about | Should -Match "(?m)^\s*$id \($($e.CategoryInfo.Category), exit \d+\)"
        }
        ($errors | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) | Should -Be @('LocationNotFound', 'InvalidConnectionString', 'InvalidTarget')
    }

    It 'takes settings from a config environment and guards a production one' {
        $project = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'configured')
        New-Item -ItemType Directory -Path (Join-Path $project 'db/migration') | Out-Null
        Set-Content -Path (Join-Path $project 'db/migration/V1__t.sql') -Value 'CREATE TABLE ${t} (id int);'
        Set-Content -Path (Join-Path $project 'db/migration/U1__t.sql') -Value 'DROP TABLE ${t};'
        $live = New-TestDatabase
        @{ locations = @('db/migration'); placeholders = @{ t = 'configured' }
           environments = @{ live = @{ url = $live; production = $true } } } | ConvertTo-Json -Depth 5 |
            Set-Content -Path (Join-Path $project 'schemaops.json')
        Push-Location $project
        try {
            Invoke-Migration -Environment live -Confirm:$false | Should -HaveCount 1
            { Undo-Migration -Environment live -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'ProductionConfirmationRequired,SchemaOps.Commands.UndoMigrationCommand'
            Undo-Migration -Environment live -Force -Confirm:$false | Should -HaveCount 1
            { Clear-Database -Environment live -AllowClean -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'CleanRefusedInProduction,SchemaOps.Commands.ClearDatabaseCommand'
        }
        finally { Pop-Location }
    }

    It 'reads a flyway.toml as Flyway writes it, other tools'' tables and all' {
        $project = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'toml')
        New-Item -ItemType Directory -Path (Join-Path $project 'sql') | Out-Null
        Set-Content -Path (Join-Path $project 'sql/V1__t.sql') -Value 'CREATE TABLE ${t} (id int);'
        $live = New-EphemeralDatabase -Confirm:$false
        Set-Content -Path (Join-Path $project 'flyway.toml') -Value @"
[environments.default]
url = "jdbc:postgresql://$($live.Host):$($live.Port)/$($live.Database)"
user = "$($live.User)"

[flyway]
locations = ["filesystem:sql"]
table = '''
deploy_history'''
placeholders.t = "from_toml"

[[flywayDesktop.generate]]
when = 2024-01-02T03:04:05Z
"@
        $env:PGPASSFILE = $live.Passfile
        Push-Location $project
        try {
            (Invoke-Migration -Confirm:$false).Version | Should -Be '1'
            (Get-MigrationStatus).State | Should -Be 'Success'
        }
        finally { Pop-Location; Remove-Item Env:PGPASSFILE }
        $tables = (Get-SchemaSnapshot -ConnectionString $live.ConnectionString).Objects | Where-Object Kind -eq 'Table' | ForEach-Object Name
        $tables | Should -Contain 'from_toml'
        $tables | Should -Contain 'deploy_history'
    }

    It 'takes a schema dumped with pg_dump as its baseline migration, \restrict lines and all' {
        # As teams adopting migrations do: pg_dump --schema-only of the live database becomes V1. pg_dump 15.14 and
        # later wrap the dump in psql's \restrict / \unrestrict, which Flyway and dbmate fail on.
        $source = New-EphemeralDatabase -Confirm:$false
        Invoke-Migration -Path $script:migrations -ConnectionString $source.ConnectionString -Confirm:$false | Out-Null
        $folder = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'dumped')
        $baseline = Join-Path $folder 'V1__baseline.sql'
        $env:PGPASSFILE = $source.Passfile
        try {
            & (Join-Path $source.BinDirectory 'pg_dump') --schema-only --no-owner -T flyway_schema_history `
                -h $source.Host -p $source.Port -U $source.User -d $source.Database -f $baseline
            $LASTEXITCODE | Should -Be 0
        }
        finally { Remove-Item Env:PGPASSFILE }
        Get-Content $baseline | Where-Object { $_ -match '^\\(un)?restrict ' } | Should -HaveCount 2

        $db = New-TestDatabase
        (Invoke-Migration -Path $folder -ConnectionString $db -Confirm:$false).Outcome | Should -Be 'Applied'
        $differences = Get-SchemaSnapshot -ConnectionString $db | Compare-SchemaSnapshot -Reference (Get-SchemaSnapshot -ConnectionString $source.ConnectionString)
        # The same schema; the history and the rows (a schema-only dump has none) are what differs.
        $differences | Where-Object Kind -notin 'Migration', 'RowCount' | Should -BeNullOrEmpty
        ($differences | Where-Object Kind -eq 'RowCount').Count | Should -BeGreaterThan 0

        Add-Content -Path (Join-Path $folder 'V2__seed.sql') -Value "\i seed.sql"
        { Invoke-Migration -Path $folder -ConnectionString $db -Confirm:$false } |
            Should -Throw -ErrorId 'PsqlMetaCommand,SchemaOps.Commands.InvokeMigrationCommand'
        (Get-MigrationStatus -Path $folder -ConnectionString $db | Where-Object Version -eq '2').State | Should -Be 'Pending'
    }

    It 'snapshots before and after a migration and lists exactly the change' {
        $db = New-TestDatabase
        $folder = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'snap')
        Set-Content -Path (Join-Path $folder 'V1__t.sql') -Value 'CREATE TABLE t (id int);'
        $before = Join-Path TestDrive: 'before.json'
        Get-SchemaSnapshot -ConnectionString $db -OutFile $before | Should -BeOfType ([SchemaOps.SchemaSnapshot])
        Invoke-Migration -Path $folder -ConnectionString $db -Confirm:$false | Out-Null
        $differences = Get-SchemaSnapshot -ConnectionString $db | Compare-SchemaSnapshot -Reference $before
        ($differences | Where-Object Kind -eq 'Table').Name | Should -Be 't'
        ($differences | Where-Object Kind -eq 'Migration').Change | Should -Be 'Added'
    }

    It 'backs up and proves the backup restores, in one pipeline' {
        $db = New-TestDatabase
        Invoke-Migration -Path $script:migrations -ConnectionString $db -Confirm:$false | Out-Null
        $file = Join-Path TestDrive: 'parking.dump'
        $result = Backup-Database -Path $file -ConnectionString $db -Confirm:$false | Test-DatabaseBackup -ConnectionString $db -Confirm:$false
        $result.Passed | Should -BeTrue
        (Get-Item $file).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'keeps a dbmate project''s db/schema.sql as dbmate up would, from the project''s .env' {
        $project = Join-Path $TestDrive 'dbmate-project'
        New-Item -ItemType Directory "$project/db/migrations" | Out-Null
        Set-Content "$project/db/migrations/20240101000000_users.sql" "-- migrate:up`nCREATE TABLE users (id int);`n-- migrate:down`nDROP TABLE users;"
        Set-Content "$project/.env" "DATABASE_URL=`"$(New-TestDatabase)`""
        Push-Location $project
        try {
            Invoke-Migration -Confirm:$false | Should -HaveCount 1
            $dump = Export-DatabaseSchema -Confirm:$false
            $dump.Path | Should -Be (Join-Path $project 'db/schema.sql')
            $dump.Changed | Should -BeTrue
            Get-Content db/schema.sql -Raw | Should -Match "INSERT INTO public.schema_migrations \(version\) VALUES`n    \('20240101000000'\);"
            # The CI check: a current file is left as it is.
            (Export-DatabaseSchema -Confirm:$false).Changed | Should -BeFalse
        }
        finally { Pop-Location }
    }

    It 'restores a backup with -Clean and writes the report of the run' {
        $db = New-TestDatabase
        Invoke-Migration -Path $script:migrations -ConnectionString $db -Confirm:$false | Out-Null
        $backup = Backup-Database -Path (Join-Path TestDrive: 'r.dump') -ConnectionString $db -Confirm:$false
        Restore-Database -Path $backup.Path -ConnectionString $db -Clean -Confirm:$false | Should -HaveCount 1
        $report = @($backup) + (Test-DatabaseHealth -ConnectionString $db) | Export-MigrationReport -Path (Join-Path TestDrive: 'r.md') -Confirm:$false
        $report.Succeeded | Should -BeTrue
        Get-Content $report.Path -Raw | Should -Match '## Backup'
    }
}

Describe 'Test-MigrationScript' {
    It 'lints the example set clean at warning level' {
        Test-MigrationScript -Path $script:migrations -LintLevel Warning | Should -BeNullOrEmpty
    }

    It 'finds a risky statement from the pipeline, with line, rule and the safe rewrite' {
        $finding = "SELECT 1;`nCREATE INDEX i ON users (email);" | Test-MigrationScript -Name 'V9__index.sql' |
            Where-Object RuleId -eq 'require-concurrent-index-creation'
        $finding | Should -HaveCount 1
        $finding.File | Should -Be 'V9__index.sql'
        $finding.Line | Should -Be 2
        $finding.Suggestion | Should -Match 'CONCURRENTLY'
    }

    It 'honours squawk-ignore comments and words inside strings never fire' {
        $findings = "-- squawk-ignore ban-drop-table`nDROP TABLE users;`nSELECT 'DROP TABLE users';`nDROP TABLE orders;" | Test-MigrationScript -ErrorAction Stop
        # The one unsuppressed DROP fires (so the text really was linted); the suppressed one and the string do not.
        ($findings | Where-Object RuleId -eq 'ban-drop-table').Line | Should -Be 4
    }

    It 'lints files from Get-ChildItem, one finding set per file' {
        $set = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'piped')
        Set-Content (Join-Path $set 'V1__a.sql') 'CREATE INDEX a_x ON a (x);'
        Set-Content (Join-Path $set 'V2__b.sql') 'ALTER TABLE b ADD COLUMN c int NOT NULL;'
        $findings = Get-ChildItem $set -Filter *.sql | Test-MigrationScript
        ($findings.File | ForEach-Object { Split-Path -Leaf $_ } | Sort-Object -Unique) | Should -Be @('V1__a.sql', 'V2__b.sql')
    }

    It 'knows tables created earlier in the set need no CONCURRENTLY' {
        $set = Join-Path TestDrive: 'set'
        New-Item -ItemType Directory $set | Out-Null
        Set-Content (Join-Path $set 'V1__users.sql') 'CREATE TABLE users (id bigint PRIMARY KEY, email text);'
        Set-Content (Join-Path $set 'V2__index.sql') 'CREATE INDEX users_email ON users (email);'
        Test-MigrationScript -Path $set | Where-Object RuleId -eq 'require-concurrent-index-creation' | Should -BeNullOrEmpty
    }

    It 'Invoke-Migration -LintLevel Error refuses a set with an error finding and applies nothing' {
        $set = Join-Path TestDrive: 'risky'
        New-Item -ItemType Directory $set | Out-Null
        Set-Content (Join-Path $set 'V1__drop.sql') 'DROP DATABASE postgres;'
        $db = New-TestDatabase
        { Invoke-Migration -Path $set -ConnectionString $db -LintLevel Error -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'LintFailed,SchemaOps.Commands.InvokeMigrationCommand'
        Get-MigrationStatus -Path $set -ConnectionString $db | Where-Object State -eq 'Success' | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-MigrationRehearsal' {
    It 'rehearses the example on a throwaway server and passes' {
        $result = Invoke-MigrationRehearsal -Path $script:migrations -Confirm:$false
        $result.Verdict | Should -Be 'PASSED'
        $result.Migrations.Count | Should -BeGreaterOrEqual 15
        ($result.Checks | Where-Object Name -eq 'undo restores the state before').Passed | Should -BeTrue
    }

    It 'catches each fault of the faulty copy in its own check and writes a JUnit report' {
        $junit = Join-Path TestDrive: 'rehearsal.xml'
        $result = Invoke-MigrationRehearsal -Path "$root/examples/parking-faulty/db/migration" -SlowThreshold 1s -OutFile $junit -Confirm:$false
        $result.Passed | Should -BeFalse
        ($result.Checks | Where-Object { -not $_.Passed }).Name | Should -Be @('lint', 'slow migrations', 'undo')
        Get-Content $junit -Raw | Should -Match 'failures="3"'
    }

    It '-WhatIf starts nothing' {
        Invoke-MigrationRehearsal -Path $script:migrations -WhatIf | Should -BeNullOrEmpty
    }
}

Describe 'History maintenance' {
    BeforeEach { $script:db = New-TestDatabase }

    It 'computes the checksum Flyway would store, for files from Get-ChildItem too' {
        $one = Get-MigrationChecksum -Path "$migrations/V1__create_clients.sql"
        $one.Checksum | Should -BeOfType ([int])
        (Get-ChildItem $migrations -Filter 'V1__*.sql' | Get-MigrationChecksum).Checksum | Should -Be $one.Checksum
    }

    It 'adopts an existing database at a version and migrates only what comes after' {
        # Objects made by another tool (here: another history table), then taken over at version 1.
        $legacy = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'legacy')
        Set-Content (Join-Path $legacy 'V1__old.sql') 'CREATE TABLE old (id int);'
        Invoke-Migration -Path $legacy -ConnectionString $db -Table legacy_history -Confirm:$false | Out-Null
        $folder = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'adopt')
        Copy-Item (Join-Path $legacy 'V1__old.sql') $folder
        Set-Content (Join-Path $folder 'V2__new.sql') 'CREATE TABLE new (id int);'
        { Invoke-Migration -Path $folder -ConnectionString $db -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'NonEmptySchemaWithoutHistory,SchemaOps.Commands.InvokeMigrationCommand'
        $baseline = Set-MigrationBaseline -ConnectionString $db -Version 1 -Confirm:$false
        $baseline.Created | Should -BeTrue
        (Invoke-Migration -Path $folder -ConnectionString $db -Confirm:$false).Version | Should -Be '2'
    }

    It 'repairs a failed migration row so a fixed script can run' {
        $folder = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'repair')
        Set-Content (Join-Path $folder 'V1__idx.sql') "CREATE TABLE t (id int);`n"
        Set-Content (Join-Path $folder 'V2__idx.sql') "CREATE INDEX CONCURRENTLY t_id ON t (id);`nCREATE INDEX CONCURRENTLY broken ON missing_table (id);"
        { Invoke-Migration -Path $folder -ConnectionString $db -Confirm:$false -ErrorAction Stop } | Should -Throw
        (Get-MigrationStatus -Path $folder -ConnectionString $db | Where-Object { "$($_.Version)" -eq '2' }).State | Should -Be 'Failed'
        $changes = Repair-MigrationHistory -Path $folder -ConnectionString $db -Confirm:$false
        $changes.Action | Should -Contain 'RemovedFailedRow'
        Set-Content (Join-Path $folder 'V2__idx.sql') "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_id ON t (id);"
        (Invoke-Migration -Path $folder -ConnectionString $db -Confirm:$false).Outcome | Should -Be 'Applied'
    }

    It 'creates the next migration and its undo, never overwriting' {
        $folder = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'new')
        Set-Content (Join-Path $folder 'V7__seven.sql') 'SELECT 1;'
        $created = New-Migration 'add permits' -Path $folder -Confirm:$false
        $created.Path | ForEach-Object { Split-Path -Leaf $_ } | Should -Be @('V8__add_permits.sql', 'U8__add_permits.sql')
        New-Migration 'add permits' -Path $folder -WhatIf | Should -BeNullOrEmpty
    }

    It 'cleans only when allowed, and then the managed schema is empty' {
        Invoke-Migration -Path $migrations -ConnectionString $db -Confirm:$false | Out-Null
        { Clear-Database -ConnectionString $db -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'CleanDisabled,SchemaOps.Commands.ClearDatabaseCommand'
        (Clear-Database -ConnectionString $db -AllowClean -Confirm:$false).ObjectsDropped | Should -BeGreaterThan 10
        Get-MigrationStatus -Path $migrations -ConnectionString $db | Where-Object State -ne 'Pending' | Should -BeNullOrEmpty
    }
}

Describe 'Get-MigrationImpact' {
    It 'says what each pending statement locks and who is in the way, and changes nothing' {
        $server = New-EphemeralDatabase -Confirm:$false
        $db = $server.ConnectionString
        $project = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'impact')
        Set-Content -Path (Join-Path $project 'V1__t.sql') -Value 'CREATE TABLE vehicles (id bigint PRIMARY KEY, plate text);'
        Invoke-Migration -ConnectionString $db -Path $project -Confirm:$false | Out-Null
        Set-Content -Path (Join-Path $project 'V2__index.sql') -Value "CREATE INDEX vehicles_plate ON vehicles (plate);`nALTER TABLE vehicles ADD COLUMN seen uuid DEFAULT gen_random_uuid();"

        $impact = @(Get-MigrationImpact -ConnectionString $db -Path $project)
        $impact | Should -HaveCount 2
        $impact[0] | Should -BeOfType ([SchemaOps.MigrationImpact])
        ($impact | ForEach-Object { "$($_.LockMode) / $($_.Work)" }) | Should -Be @('SHARE / index build', 'ACCESS EXCLUSIVE / table rewrite')
        $impact[0].Findings | Should -Contain 'require-concurrent-index-creation'
        $impact[0].SafeRewrite | Should -Match 'CONCURRENTLY'
        $table = $impact | Format-Table | Out-String
        $table | Should -Match 'Migration: V2 index'   # statements grouped under their migration
        $table | Should -Match '\s1 SHARE\s+index build\s+vehicles'
        (Get-MigrationStatus -ConnectionString $db -Path $project | Where-Object { $_.Version.Text -eq '2' }).State | Should -Be 'Pending'
    }
}

Describe 'Test-SchemaDrift' {
    It 'finds nothing on a database its migrations built, then names the index made by hand' {
        $server = New-EphemeralDatabase -Confirm:$false
        $db = $server.ConnectionString
        Invoke-Migration -ConnectionString $db -Path $migrations -Confirm:$false | Out-Null
        Test-SchemaDrift -ConnectionString $db -Path $migrations | Should -BeNullOrEmpty

        # A hotfix straight on the database, as happens: an index made by hand with psql.
        $env:PGPASSFILE = $server.Passfile
        try { & (Join-Path $server.BinDirectory 'psql') -h $server.Host -p $server.Port -U $server.User -d $server.Database -X -q -c 'CREATE INDEX vehicles_plate_hotfix ON vehicles (plate);' }
        finally { Remove-Item Env:PGPASSFILE }

        $drift = @(Test-SchemaDrift -ConnectionString $db -Path $migrations)
        $drift | Should -HaveCount 1
        $drift[0] | Should -BeOfType ([SchemaOps.SchemaDifference])
        "$($drift[0].Change) $($drift[0].Kind) $($drift[0].Name)" | Should -Be 'Added Index vehicles_plate_hotfix'
        Test-SchemaDrift -ConnectionString $db -Path $migrations -IgnoreObject 'Index:*_hotfix' | Should -BeNullOrEmpty
    }
}

Describe 'Diagnostics during a window' {
    It 'names the session that blocks a migration, and counts connections' {
        $server = New-EphemeralDatabase -Confirm:$false
        try {
            $folder = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'locks')
            Set-Content (Join-Path $folder 'V1__vehicles.sql') 'CREATE TABLE vehicles (id int);'
            Invoke-Migration -ConnectionString $server.ConnectionString -Path $folder -Confirm:$false | Out-Null
            $psql = Join-Path $server.BinDirectory 'psql'
            $env:PGPASSFILE = $server.Passfile
            $connect = @('-h', $server.Host, '-p', $server.Port, '-U', $server.User, '-d', $server.Database, '-X', '-q')
            Set-Content (Join-Path $folder 'hold.sql') 'BEGIN; LOCK TABLE vehicles; SELECT pg_sleep(30);'
            Set-Content (Join-Path $folder 'wait.sql') 'SELECT count(*) FROM vehicles;'
            $holder = Start-Process $psql -ArgumentList ($connect + @('-f', (Join-Path $folder 'hold.sql'))) -PassThru -RedirectStandardOutput (Join-Path $folder 'hold.out')
            Start-Sleep -Milliseconds 500
            $waiter = Start-Process $psql -ArgumentList ($connect + @('-f', (Join-Path $folder 'wait.sql'))) -PassThru -RedirectStandardOutput (Join-Path $folder 'wait.out')
            $report = $null
            foreach ($i in 1..50) { $report = Get-LockReport -ConnectionString $server.ConnectionString -Relation vehicles; if ($report | Where-Object { -not $_.Granted }) { break }; Start-Sleep -Milliseconds 100 }
            ($report | Where-Object Depth -eq 0).Mode | Should -Be 'AccessExclusiveLock'
            ($report | Where-Object { -not $_.Granted }).Target | Should -Be 'public.vehicles'
            Get-LockReport -ConnectionString $server.ConnectionString -Watch -Interval 100ms -Count 2 | Should -Not -BeNullOrEmpty
            $summary = Get-DatabaseActivity -ConnectionString $server.ConnectionString -Summary
            $summary.WaitingForLocks | Should -BeGreaterOrEqual 1
            (Get-DatabaseActivity -ConnectionString $server.ConnectionString).Pid | Should -Contain $report[0].Pid
            (Test-DatabaseHealth -ConnectionString $server.ConnectionString -LongTransactionThreshold 200ms | Where-Object Name -eq 'LongTransactions').Passed | Should -BeFalse
        }
        finally {
            $holder, $waiter | Where-Object { $_ } | Stop-Process -Force -ErrorAction SilentlyContinue
            Remove-Item Env:PGPASSFILE -ErrorAction SilentlyContinue
            $server | Remove-EphemeralDatabase -Confirm:$false
        }
    }
}

Describe 'Wait-Database and -ConnectRetries' {
    BeforeAll {
        # A loopback port nothing listens on: connections to it are refused, as before a server starts.
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $script:closedPort = $probe.LocalEndpoint.Port; $probe.Stop()
        $script:nowhere = "Host=127.0.0.1;Port=$script:closedPort;Username=ops;Database=app"
    }

    It 'returns a DatabaseReadiness as soon as the server answers, piped from the database itself' {
        $db = New-EphemeralDatabase -Confirm:$false
        $ready = $db | Wait-Database -Timeout 30s
        $ready | Should -BeOfType ([SchemaOps.DatabaseReadiness])
        $ready.Attempts | Should -Be 1
        $ready.InRecovery | Should -BeFalse
        ($ready | Format-Table | Out-String) | Should -Match 'Tries'
        $db | Remove-EphemeralDatabase -Confirm:$false
    }

    It 'fails with DatabaseNotReady when the timeout passes first' {
        { Wait-Database -ConnectionString $script:nowhere -Timeout 1s -ErrorAction Stop } |
            Should -Throw -ErrorId 'DatabaseNotReady,SchemaOps.Commands.WaitDatabaseCommand'
    }

    It '-ConnectRetries tries a refused connection again and says so' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $e = { Get-MigrationStatus -ConnectionString $script:nowhere -Path $script:migrations -ConnectRetries 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionFailed,SchemaOps.Commands.GetMigrationStatusCommand' -PassThru
        $e.Exception.Message | Should -Match 'gave up after 2 tries'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1   # Flyway's first pause
    }
}

Describe 'New-EphemeralDatabase and Remove-EphemeralDatabase' {
    It 'starts a server that pipes into the other cmdlets, and removes it with its data' {
        $db = New-EphemeralDatabase -Database app -Confirm:$false
        $db.PSObject.TypeNames[0] | Should -Be 'SchemaOps.EphemeralDatabase'
        $db.ConnectionString | Should -Not -Match 'Password'
        $applied = $db | Invoke-Migration -Path $script:migrations -Confirm:$false
        $applied.Outcome | Should -Not -Contain 'Failed'
        (Get-MigrationStatus -ConnectionString $db.ConnectionString -Path $script:migrations | Where-Object State -ne 'Success') | Should -BeNullOrEmpty
        $removed = $db | Remove-EphemeralDatabase -PassThru -Confirm:$false
        $removed.Id | Should -Be $db.Id
        Test-Path (Split-Path $db.DataDirectory) | Should -BeFalse
        Get-Process -Id $db.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It '-WhatIf starts nothing and removes nothing' {
        New-EphemeralDatabase -WhatIf | Should -BeNullOrEmpty
        $db = New-EphemeralDatabase -Confirm:$false
        $db | Remove-EphemeralDatabase -WhatIf
        Test-Path $db.DataDirectory | Should -BeTrue
        $db | Remove-EphemeralDatabase -Confirm:$false
    }

    It 'reports an unknown id without stopping the others' {
        $db = New-EphemeralDatabase -Confirm:$false
        Remove-EphemeralDatabase -Id 'cluster-0-nothere', $db.Id -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'EphemeralDatabaseNotFound*'
        Test-Path $db.DataDirectory | Should -BeFalse
    }
}

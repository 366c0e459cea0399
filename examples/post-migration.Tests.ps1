#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }, SchemaOps
# A post-migration validation suite to copy into your project and run after every deployment:
#   $env:DATABASE_URL = 'postgres://app@db01/shop'      # password via PGPASSWORD or ~/.pgpass
#   Invoke-Pester ./post-migration.Tests.ps1 -Output Detailed
# Adjust $MigrationPath and the expected tables/columns to your schema.

BeforeDiscovery {
    $script:ExpectedColumns = @(
        @{ Table = 'clients';          Column = 'email' }
        @{ Table = 'vehicles';         Column = 'plate' }
        @{ Table = 'parking_sessions'; Column = 'fee_cents' }
    )
}

BeforeAll {
    Import-Module SchemaOps
    $script:MigrationPath = Join-Path $PSScriptRoot 'parking/db/migration'
    $script:Status = Get-MigrationStatus -Path $MigrationPath
    # One place for ad-hoc catalog queries: psql, with the same DATABASE_URL.
    function Invoke-Scalar([string] $Sql) { (psql $env:DATABASE_URL -XAtc $Sql) }
}

Describe 'Schema history' {
    It 'has no failed migrations' {
        $Status | Where-Object State -in 'Failed', 'FailedMissing', 'FailedFuture' | Should -BeNullOrEmpty
    }

    It 'has nothing pending' {
        $Status | Where-Object State -eq 'Pending' | Should -BeNullOrEmpty
    }

    It 'matches the migration files (checksums, descriptions, nothing missing)' {
        Test-MigrationChecksum -Path $MigrationPath | Where-Object { -not $_.Passed } | Should -BeNullOrEmpty
    }
}

Describe 'Schema objects' {
    It 'has column <Table>.<Column>' -ForEach $ExpectedColumns {
        Invoke-Scalar "SELECT count(*) FROM information_schema.columns WHERE table_name = '$Table' AND column_name = '$Column'" | Should -Be 1
    }

    It 'has no invalid indexes (a failed CREATE INDEX CONCURRENTLY leaves one)' {
        Invoke-Scalar 'SELECT count(*) FROM pg_index WHERE NOT indisvalid' | Should -Be 0
    }
}

#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The examples as teams would run them: the maintenance-window runbook in each way of naming the database, its
# failure path (restore and report), and the CI rehearsal gate. They import SchemaOps by name: tests/pester/run puts
# the published module on PSModulePath.

BeforeAll {
    $script:root = Resolve-Path "$PSScriptRoot/../.."
    Import-Module SchemaOps
    $script:runbook = "$root/examples/maintenance-window.ps1"

    # A project folder like a team's: db/migration from the example; the runbook's logs go beside it.
    function New-Project([string] $Name) {
        $project = New-Item -ItemType Directory -Path (Join-Path TestDrive: $Name)
        New-Item -ItemType Directory -Path (Join-Path $project 'db') | Out-Null
        Copy-Item -Recurse "$root/examples/parking/db/migration" (Join-Path $project 'db')
        $project
    }
    function Get-Password($Server) { ((Get-Content $Server.Passfile) -split ':')[-1] }
}

Describe 'maintenance-window.ps1' {
    BeforeEach {
        $script:server = New-EphemeralDatabase -Database parking -Confirm:$false
        $script:project = New-Project "window-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $script:url = "postgres://$($server.User)@$($server.Host):$($server.Port)/$($server.Database)?sslmode=disable"
        Push-Location $project
    }
    AfterEach {
        Pop-Location
        Remove-Item Env:DATABASE_URL, Env:PGPASSFILE -ErrorAction SilentlyContinue
        $server | Remove-EphemeralDatabase -Confirm:$false
    }

    It 'runs the whole window with the database named by <Mode>' -ForEach @(
        @{ Mode = '-ConnectionString' }
        @{ Mode = '-ConnectionString and -Credential' }
        @{ Mode = '-Environment' }
        @{ Mode = 'DATABASE_URL' }
    ) {
        $logs = Join-Path $project 'logs'
        $with = @{ LogFolder = $logs; Path = './db/migration' }
        switch ($Mode) {
            '-ConnectionString' { $with.ConnectionString = $server.ConnectionString }
            '-ConnectionString and -Credential' {
                $with.ConnectionString = $url
                $with.Credential = [pscredential]::new($server.User, (ConvertTo-SecureString (Get-Password $server) -AsPlainText -Force))
            }
            '-Environment' {
                @{ environments = @{ window = @{ url = $server.ConnectionString; locations = @('db/migration') } } } | ConvertTo-Json -Depth 5 | Set-Content schemaops.json
                $with.Environment = 'window'
                $with.Remove('Path')
            }
            'DATABASE_URL' { $env:DATABASE_URL = $url; $env:PGPASSFILE = $server.Passfile }
        }
        & $runbook @with -Confirm:$false 6>$null

        Get-MigrationStatus -ConnectionString $server.ConnectionString -Path ./db/migration | Where-Object State -ne 'Success' | Should -BeNullOrEmpty
        $report = Get-Content (Join-Path $logs 'deployment.md') -Raw
        $report | Should -Match '- \*\*Result:\*\* succeeded'
        $report | Should -Match '## Migrations'
        $report | Should -Match '## Backup'
        Join-Path $logs 'deployment.html' | Should -Exist
        [xml](Get-Content (Join-Path $logs 'junit.xml') -Raw) | Should -Not -BeNullOrEmpty
        $report | Should -Not -Match ([regex]::Escape((Get-Password $server)))
    }

    It 'shows the plan and changes nothing under -WhatIf' {
        & $runbook -ConnectionString $server.ConnectionString -Path ./db/migration -LogFolder (Join-Path $project 'logs') -WhatIf 6>$null
        Get-MigrationStatus -ConnectionString $server.ConnectionString -Path ./db/migration | Where-Object State -ne 'Pending' | Should -BeNullOrEmpty
    }

    It 'restores the backup when a migration fails, reports it, and fails' {
        # The window starts from a database at version 10; version 99 of this release is broken.
        Invoke-Migration -ConnectionString $server.ConnectionString -Path ./db/migration -Target 10 -Confirm:$false | Out-Null
        $before = Get-SchemaSnapshot -ConnectionString $server.ConnectionString
        Set-Content ./db/migration/V99__broken.sql 'CREATE TABLE half_done (id int); SELECT 1/0;'
        $logs = Join-Path $project 'logs'
        { & $runbook -ConnectionString $server.ConnectionString -Path ./db/migration -LogFolder $logs -Confirm:$false 6>$null } | Should -Throw '*division by zero*'

        # Exactly the state before the window: no table, column or history row of versions 11 to 18 is left.
        $after = Get-SchemaSnapshot -ConnectionString $server.ConnectionString
        Compare-SchemaSnapshot -Reference $before -Difference $after | Should -BeNullOrEmpty
        $report = Get-Content (Join-Path $logs 'deployment.md') -Raw
        $report | Should -Match '# FAILED and restored'
        $report | Should -Match '## Restores'
        $report | Should -Match 'division by zero'
    }
}

Describe 'ci/Rehearse.ps1' {
    It 'passes the example release and writes the reports' {
        Push-Location TestDrive:
        try {
            & "$root/examples/ci/Rehearse.ps1" -Path "$root/examples/parking/db/migration" -ReportDirectory (Join-Path TestDrive: 'passed') | Out-Null
            Join-Path TestDrive: 'passed/rehearsal.xml' | Should -Exist
        }
        finally { Pop-Location }
    }

    It 'fails the faulty release after writing the reports' {
        { & "$root/examples/ci/Rehearse.ps1" -Path "$root/examples/parking-faulty/db/migration" -SlowSeconds 1 -ReportDirectory (Join-Path TestDrive: 'failed') | Out-Null } |
            Should -Throw '*rehearsal FAILED*'
        Get-Content (Join-Path TestDrive: 'failed/rehearsal.md') -Raw | Should -Match 'FAILED'
    }
}

#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The pipelines the about_ topics show, run as written (the code is the topic's lines indented under a line that
# ends with a colon), in a project folder holding db/migration with $env:DATABASE_URL naming a throwaway database.

BeforeDiscovery {
    function Get-Snippets([string] $Topic) {
        $lines = Get-Content "$PSScriptRoot/../../module/en-US/$Topic.help.txt"
        $snippets = @(); $current = $null
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match ':\s*$' -and $i + 1 -lt $lines.Count -and $lines[$i + 1] -match '^ {8}\S') { $current = [System.Collections.Generic.List[string]]::new(); continue }
            if ($null -ne $current -and $lines[$i] -match '^ {8}') { $current.Add($lines[$i].Substring(8)); continue }
            # Code, not a table or a config file: it starts with an assignment, a suite, or a command with parameters or a pipe.
            if ($null -ne $current) { if ($current[0] -match '^(\$\w+\s*=|Describe\b|[A-Z]\w+-[A-Z]\w+(\s+-|\s*\||\s*$))') { $snippets += ,($current -join "`n") }; $current = $null }
        }
        $snippets
    }
    $script:topics = @(
        @{ Topic = 'about_SchemaOps'; Snippets = @(Get-Snippets 'about_SchemaOps') }
        @{ Topic = 'about_SchemaOps_Runbooks'; Snippets = @(Get-Snippets 'about_SchemaOps_Runbooks') }
    )
}

BeforeAll {
    $script:root = Resolve-Path "$PSScriptRoot/../.."
    Import-Module "$root/SchemaOps.psd1" -Force
    $script:pwsh = (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source
}

Describe '<Topic>' -ForEach $topics {
    BeforeAll {
        $script:server = New-EphemeralDatabase -Database shop -Confirm:$false
        $script:project = New-Item -ItemType Directory -Path (Join-Path TestDrive: $Topic)
        New-Item -ItemType Directory -Path (Join-Path $project 'db') | Out-Null
        Copy-Item -Recurse "$root/examples/parking/db/migration" (Join-Path $project 'db')
        $env:DATABASE_URL = "postgres://$($server.User)@$($server.Host):$($server.Port)/$($server.Database)?sslmode=disable"
        $env:PGPASSFILE = $server.Passfile
        # What the snippets name but do not define: the database's URL and a credential for it.
        $script:url = $env:DATABASE_URL
        $script:cred = [pscredential]::new($server.User, (ConvertTo-SecureString ((Get-Content $server.Passfile) -split ':')[-1] -AsPlainText -Force))
    }
    AfterAll {
        Remove-Item Env:DATABASE_URL, Env:PGPASSFILE -ErrorAction SilentlyContinue
        $server | Remove-EphemeralDatabase -Confirm:$false
    }

    It 'shows pipelines' {
        $Snippets.Count | Should -BeGreaterOrEqual 1
    }

    It 'runs its pipelines in order, as written' {
        Push-Location $project
        try {
            $ErrorActionPreference = 'Stop'
            foreach ($snippet in $Snippets) {
                if ($snippet -match '^\s*Describe\b') {
                    # A Pester suite of its own: run in a pwsh of its own, against the migrated database.
                    Set-Content (Join-Path $project 'after.Tests.ps1') "BeforeAll { Import-Module '$root/SchemaOps.psd1' }`n$snippet"
                    $outcome = & $pwsh -NoProfile -NonInteractive -Command "`$r = Invoke-Pester -Path '$(Join-Path $project 'after.Tests.ps1')' -PassThru -Output None; if (`$r.FailedCount -or -not `$r.PassedCount) { exit 1 }"
                    $LASTEXITCODE | Should -Be 0 -Because "the topic's Pester suite passes after the migration: $outcome"
                }
                else { . ([scriptblock]::Create($snippet)) | Out-Null }
            }
        }
        finally { Pop-Location }
    }
}

#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Every ```powershell block of README.md, run as written: the first from the repository root, the others in a
# project folder holding db/migration with $env:DATABASE_URL naming a throwaway database, as the README says.

BeforeDiscovery {
    $readme = Get-Content "$PSScriptRoot/../../README.md" -Raw
    $script:blocks = [regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object -Begin { $n = 0 } -Process {
        @{ Number = ++$n; Code = $_.Groups[1].Value; FirstLine = ($_.Groups[1].Value -split "`n")[0] }
    }
}

BeforeAll {
    $script:root = Resolve-Path "$PSScriptRoot/../.."
    Import-Module "$root/SchemaOps.psd1" -Force
}

Describe 'README.md' {
    It 'has PowerShell blocks to run' {
        $blocks.Count | Should -BeGreaterOrEqual 2
    }

    It 'runs block <Number> as written: <FirstLine>' -ForEach $blocks {
        $server = New-EphemeralDatabase -Database shop -Confirm:$false
        $project = New-Item -ItemType Directory -Path (Join-Path TestDrive: "project$Number")
        New-Item -ItemType Directory -Path (Join-Path $project 'db') | Out-Null
        Copy-Item -Recurse "$root/examples/parking/db/migration" (Join-Path $project 'db')
        $env:DATABASE_URL = "postgres://$($server.User)@$($server.Host):$($server.Port)/$($server.Database)?sslmode=disable"
        $env:PGPASSFILE = $server.Passfile
        Push-Location ($Code -match 'Import-Module \./SchemaOps\.psd1' ? $root : $project)
        try {
            $ErrorActionPreference = 'Stop'
            $ConfirmPreference = 'None'
            . ([scriptblock]::Create($Code)) | Out-Null
        }
        finally {
            Pop-Location
            Remove-Item Env:DATABASE_URL, Env:PGPASSFILE -ErrorAction SilentlyContinue
            $server | Remove-EphemeralDatabase -Confirm:$false
        }
    }
}

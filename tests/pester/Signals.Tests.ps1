#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The module's host process told to stop (SIGTERM from systemd, Kubernetes or a CI runner; SIGHUP when its terminal
# closes) in the middle of a cmdlet: the work in progress is stopped as Ctrl+C stops it, and only then does pwsh end.
# The pwsh .NET tool starts the real pwsh (dotnet pwsh.dll) as a child: the signal goes to that one.

BeforeAll {
    $script:root = Resolve-Path "$PSScriptRoot/../.."
    Import-Module "$root/SchemaOps.psd1" -Force
    $script:launcher = (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source

    function Get-Children([int] $Parent, [string] $Name) {
        Get-ChildItem /proc -Directory | Where-Object Name -match '^\d+$' | ForEach-Object {
            $stat = Get-Content "/proc/$($_.Name)/stat" -Raw -ErrorAction SilentlyContinue
            if ($stat -and $stat -match '^\d+ \((.*)\) \S (\d+)' -and $Matches[1] -eq $Name -and [int]$Matches[2] -eq $Parent) { [int]$_.Name }
        }
    }
    function Wait-Until([scriptblock] $Condition, [string] $What) {
        foreach ($i in 1..600) { $r = & $Condition; if ($r) { return $r }; Start-Sleep -Milliseconds 50 }
        throw "timed out waiting for $What"
    }
}

Describe 'SchemaOps in a pwsh that is told to stop' {
    BeforeAll {
        $script:server = New-EphemeralDatabase -Confirm:$false
        $script:folder = New-Item -ItemType Directory -Path (Join-Path TestDrive: 'signals')
        Set-Content (Join-Path $folder 'V1__accounts.sql') 'CREATE TABLE accounts (id int); INSERT INTO accounts SELECT generate_series(1, 1000);'
        Invoke-Migration -ConnectionString $server.ConnectionString -Path $folder -Confirm:$false | Out-Null
        $env:PGPASSFILE = $server.Passfile
        $script:psql = Join-Path $server.BinDirectory 'psql'
        $script:connect = @('-h', $server.Host, '-p', $server.Port, '-U', $server.User, '-d', $server.Database, '-X', '-q')
    }
    AfterAll {
        Remove-Item Env:PGPASSFILE -ErrorAction SilentlyContinue
        $server | Remove-EphemeralDatabase -Confirm:$false
    }

    It 'stops Backup-Database on <Signal>: no pg_dump, no archive, no passfile left' -ForEach @(@{ Signal = 'TERM' }, @{ Signal = 'HUP' }) {
        Set-Content (Join-Path $folder 'hold.sql') 'BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);'
        $holder = Start-Process $psql -ArgumentList ($connect + @('-f', (Join-Path $folder 'hold.sql'))) -PassThru -RedirectStandardOutput (Join-Path $folder 'hold.out')
        try {
            Wait-Until { (& $psql @connect -At -c "SELECT count(*) FROM pg_locks WHERE relation = 'accounts'::regclass AND mode = 'AccessExclusiveLock' AND granted") -eq '1' } 'the test holding accounts'
            $archive = Join-Path $folder "backup-$Signal.dump"
            $script = "Import-Module '$root/SchemaOps.psd1'; Backup-Database -ConnectionString '$($server.ConnectionString)' -Path '$archive' -RowCount None -Confirm:`$false"
            $outer = Start-Process $launcher -ArgumentList @('-NoProfile', '-NonInteractive', '-Command', "`"$script`"") -PassThru -RedirectStandardError (Join-Path $folder "err-$Signal.txt")
            $real = Wait-Until { Get-Children $outer.Id 'dotnet' } 'the real pwsh'
            $dumps = Wait-Until { Get-Children $real 'pg_dump' } 'pg_dump'
            $journal = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'schemaops/running'
            $passfolders = Wait-Until { Get-ChildItem $journal -Directory -Filter "$real-*" | Get-ChildItem -Filter 'passfolder-*' | ForEach-Object { Get-Content $_ -TotalCount 1 } } 'the passfile folder'

            & kill "-$Signal" $real
            $outer.WaitForExit(30000) | Should -BeTrue

            $dumps | ForEach-Object { Test-Path "/proc/$_" } | Should -Not -Contain $true
            Test-Path $archive | Should -BeFalse
            Test-Path "$archive.partial" | Should -BeFalse
            $passfolders | ForEach-Object { Test-Path $_ } | Should -Not -Contain $true
        }
        finally { $holder | Stop-Process -Force -ErrorAction SilentlyContinue }
    }
}

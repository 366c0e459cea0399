#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Dependency isolation in a real pwsh: another Npgsql (8.x; the module's is 9.x) loaded into the same process
# before the module, and after it. Each case runs in a pwsh of its own, since an assembly stays loaded for life.

BeforeAll {
    $script:root = Resolve-Path "$PSScriptRoot/../.."
    $script:other = $env:SCHEMAOPS_OTHER_NPGSQL
    $script:pwsh = (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source

    function Invoke-Child([string] $Script) {
        $output = & $pwsh -NoProfile -NonInteractive -Command $Script 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }

    $script:scenario = @'
$ErrorActionPreference = 'Stop'
function Use-OtherNpgsql {
    Add-Type -Path '{OTHER}/Microsoft.Extensions.Logging.Abstractions.dll', '{OTHER}/Npgsql.dll'
    $version = [Npgsql.NpgsqlConnection].Assembly.GetName().Version
    # It works, too: it connects to the throwaway server with its own API.
    $b = [Npgsql.NpgsqlConnectionStringBuilder]::new(); $b.Host = $db.Host; $b.Port = $db.Port; $b.Username = $db.User; $b.Passfile = $db.Passfile; $b.Database = 'postgres'; $b.Pooling = $false
    $c = [Npgsql.NpgsqlConnection]::new($b.ConnectionString); $c.Open(); $c.Close()
    "other Npgsql $version works"
}
function Use-Module {
    Import-Module '{ROOT}/SchemaOps.psd1'
    $applied = Invoke-Migration -ConnectionString $db.ConnectionString -Path '{ROOT}/examples/parking/db/migration' -Confirm:$false
    "module applied $(@($applied).Count)"
    $mine = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'SchemaOps.Engine' | ForEach-Object Assemblies | Where-Object { $_.GetName().Name -eq 'Npgsql' }
    "module Npgsql $($mine.GetName().Version) from $($mine.Location)"
}
'@ -replace '\{OTHER\}', $other -replace '\{ROOT\}', $root
}

Describe 'Dependency isolation' {
    BeforeAll {
        Import-Module "$root/SchemaOps.psd1"
        $script:server = New-EphemeralDatabase -Confirm:$false
        $script:connect = "`$db = [pscustomobject]@{ Host = '$($server.Host)'; Port = $($server.Port); User = '$($server.User)'; Passfile = '$($server.Passfile)'; ConnectionString = '$($server.ConnectionString)' }"
    }
    AfterAll { $server | Remove-EphemeralDatabase -Confirm:$false }

    It 'has another Npgsql to load' {
        [Reflection.AssemblyName]::GetAssemblyName("$other/Npgsql.dll").Version.Major | Should -Be 8
    }

    It 'works with another Npgsql loaded <Order>' -ForEach @(
        @{ Order = 'first'; Steps = 'Use-OtherNpgsql; Use-Module' }
        @{ Order = 'last'; Steps = 'Use-Module; Use-OtherNpgsql' }
    ) {
        $child = Invoke-Child "$connect`n$scenario`n$Steps`nClear-Database -ConnectionString `$db.ConnectionString -AllowClean -Confirm:`$false | Out-Null"
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match 'other Npgsql 8\.'
        $child.Output | Should -Match 'module applied 20'
        $child.Output | Should -Match 'module Npgsql 9\.\S+ from .*Dependencies'
    }
}

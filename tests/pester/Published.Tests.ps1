#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The module as users install it (tests/pester/run publishes it with `-r linux-x64` onto PSModulePath): its code is
# compiled ahead of time for the runtime of the pwsh running it. A runtime reads ReadyToRun code only from images written
# for its own major version; images for another one are JIT-compiled method by method, silently (a cold no-op
# Invoke-Migration took 0.63 s instead of 0.36 s).

BeforeAll {
    Import-Module SchemaOps
    # The ReadyToRun format's major version in an image's header; $null for IL only.
    function Get-ReadyToRunMajorVersion([string] $Path) {
        $stream = [IO.File]::OpenRead($Path)
        try {
            $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
            $directory = $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory
            if ($directory.Size -eq 0) { return $null }
            $header = $pe.GetSectionData($directory.RelativeVirtualAddress).GetContent(0, 6)
            if ([BitConverter]::ToUInt32($header, 0) -ne 0x00525452) { return $null } # 'RTR'
            [BitConverter]::ToUInt16($header, 4)
        }
        finally { $stream.Dispose() }
    }
    $script:published = Get-Module SchemaOps -ListAvailable | Sort-Object Version -Descending | Select-Object -First 1
    $script:runtimeVersion = Get-ReadyToRunMajorVersion ([object].Assembly.Location)
}

Describe 'The published module' {
    It 'is on PSModulePath, published for this platform' {
        $published | Should -Not -BeNullOrEmpty
        $runtimeVersion | Should -Not -BeNullOrEmpty -Because 'System.Private.CoreLib is itself precompiled'
    }

    It 'has <_> compiled ahead of time for the runtime of this pwsh' -ForEach @(
        'SchemaOps.dll', 'SchemaOps.Contracts.dll', 'Dependencies/SchemaOps.Engine.dll', 'Dependencies/Npgsql.dll', 'Dependencies/Tomlyn.dll'
    ) {
        Get-ReadyToRunMajorVersion (Join-Path $published.ModuleBase $_) | Should -Be $runtimeVersion
    }

    It 'runs from that code: Get-MigrationChecksum JIT-compiles none of the engine' {
        $file = Join-Path $TestDrive 'V1__one.sql'
        Set-Content $file 'CREATE TABLE one (id int);'
        # In a pwsh of its own, so that the module loads from the published folder and nothing ran before it.
        $pwsh = (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source
        $env:DOTNET_JitStdOutFile = Join-Path $TestDrive 'jit.txt'
        $env:DOTNET_JitDisasmSummary = '1'
        try { $checksum = & $pwsh -NoProfile -NonInteractive -Command "Import-Module SchemaOps; (Get-MigrationChecksum -LiteralPath '$file').Checksum" }
        finally { Remove-Item Env:DOTNET_JitStdOutFile, Env:DOTNET_JitDisasmSummary }
        # The output, not the exit code: with the JIT's listing on, the runtime itself sometimes crashes while exiting.
        $checksum | Should -Be (Get-MigrationChecksum -LiteralPath $file).Checksum
        $jitted = Get-Content (Join-Path $TestDrive 'jit.txt')
        $jitted | Should -Not -BeNullOrEmpty -Because 'the runtime lists what it JIT-compiles'
        # Generic instances over the engine's types may be compiled at run time; the engine's own methods never.
        $jitted | Where-Object { $_ -match 'JIT compiled SchemaOps\.Engine\.[^\[]*:' } | Should -BeNullOrEmpty
    }
}

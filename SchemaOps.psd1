@{
    # The repo-root copy loads the build folder (out/build) after `dotnet build`; `dotnet publish src/SchemaOps`
    # writes out/SchemaOps/<version>/ with a copy whose paths are relative to that folder.
    RootModule           = 'out/build/SchemaOps.dll'
    # Keep equal to <Version> in Directory.Build.props (a test checks it).
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0d2c47-3f7e-4c1a-9d0e-6a8f3e2b9c11'
    Author               = 'SchemaOps contributors'
    CompanyName          = 'SchemaOps'
    Copyright            = '(c) SchemaOps contributors. MIT License.'
    Description          = 'PostgreSQL schema migrations for maintenance windows: Flyway-compatible history and checksums, validate, baseline, dry runs, and typed objects for runbooks and Pester.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @(
        'Backup-Database'
        'Clear-Database'
        'Compare-SchemaSnapshot'
        'Export-MigrationReport'
        'Get-DatabaseActivity'
        'Get-LockReport'
        'Get-SchemaSnapshot'
        'Invoke-Migration'
        'Get-MigrationStatus'
        'Test-MigrationChecksum'
        'Set-MigrationBaseline'
        'Get-MigrationChecksum'
        'New-Migration'
        'New-MigrationTarget'
        'Remove-EphemeralDatabase'
        'Repair-MigrationHistory'
        'Restore-Database'
        'Test-DatabaseBackup'
        'Test-DatabaseHealth'
        'Test-MigrationScript'
        'Invoke-MigrationRehearsal'
        'New-EphemeralDatabase'
        'Undo-Migration'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    FormatsToProcess     = @('module/SchemaOps.Format.ps1xml')
    TypesToProcess       = @('module/SchemaOps.Types.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags         = @('PostgreSQL', 'Migration', 'Flyway', 'Database', 'Schema', 'DevOps', 'Linux', 'Windows')
            ProjectUri   = 'https://github.com/schemaops/schemaops'
            LicenseUri   = 'https://github.com/schemaops/schemaops/blob/main/LICENSE'
            ReleaseNotes = 'First release: Flyway-compatible migrate, info, validate, baseline and checksums.'
        }
    }
}

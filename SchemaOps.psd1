@{
    # For working in the repository: after `dotnet build SchemaOps.sln`, `Import-Module ./SchemaOps.psd1` loads the
    # module folder the build lays out in out/build (module/SchemaOps.psd1 is the real manifest). Loading it
    # through its own manifest makes out/build the module's base, where PowerShell looks for help and about_
    # topics, exactly as in the published folder.
    RootModule           = 'out/build/SchemaOps.psd1'
    # Keep equal to <Version> in Directory.Build.props and to module/SchemaOps.psd1 (a test checks both).
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0d2c47-3f7e-4c1a-9d0e-6a8f3e2b9c11'
    Description          = 'SchemaOps from a build of this repository (see module/SchemaOps.psd1).'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SchemaOps.Module.Tests;

/// <summary>The documented publish command lays out a module folder whose manifest names only files that are there.</summary>
public class PublishTests
{
    [Fact]
    public async Task Publish_lays_out_a_complete_module_folder()
    {
        var folder = Directory.CreateTempSubdirectory("schemaops-module-").FullName + "/";
        try
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // what `dotnet test` just built
            var psi = new ProcessStartInfo("dotnet", ["publish", Path.Combine(ModuleContractTests.Root, "src", "SchemaOps"), "--no-build",
                "-c", configuration, $"-p:PublishDir={folder}", "-nologo", "-v", "q"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, output);

            var manifest = File.ReadAllText(Path.Combine(folder, "SchemaOps.psd1"));
            var named = Regex.Matches(manifest, @"(RootModule|FormatsToProcess|TypesToProcess)\s*=\s*(@\()?([^)\n]*)")
                .SelectMany(m => Regex.Matches(m.Groups[3].Value, "'([^']+)'").Select(x => x.Groups[1].Value)).ToList();
            Assert.Contains("SchemaOps.dll", named);
            Assert.All(named, file => Assert.True(File.Exists(Path.Combine(folder, file)), $"the manifest names {file}, which is not in the folder"));
            Assert.True(File.Exists(Path.Combine(folder, "Dependencies", "SchemaOps.Engine.dll")));
            Assert.True(File.Exists(Path.Combine(folder, "Dependencies", "Npgsql.dll")));
            Assert.True(File.Exists(Path.Combine(folder, "en-US", "SchemaOps.dll-Help.xml")));
            Assert.True(File.Exists(Path.Combine(folder, "en-US", "about_SchemaOps.help.txt")));
            Assert.True(File.Exists(Path.Combine(folder, "en-US", "about_SchemaOps_Errors.help.txt")));
            Assert.False(Directory.Exists(Path.Combine(folder, "help")), "the help source is not shipped");
            Assert.Equal(["SchemaOps.Contracts.dll", "SchemaOps.dll"], Directory.GetFiles(folder, "*.dll").Select(Path.GetFileName).Order());
            // The build folder the repository's root manifest loads is the same module folder.
            static IEnumerable<string> Files(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order();
            Assert.Equal(Files(folder), Files(Path.Combine(ModuleContractTests.Root, "out", "build")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

import Foundation
import PackagePlugin

/// Gives the target `buildVersion`, this build's version from git (`scripts/version`): every build says
/// what it is, and the package and `--version` agree. Run before each build; the file is rewritten only
/// when the version changed, so an unchanged tree does not recompile.
@main
struct BuildVersion: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        return [
            .prebuildCommand(
                displayName: "Version from git (scripts/version)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [context.package.directoryURL.appending(path: "scripts/version").path, "--swift",
                            output.appending(path: "BuildVersion.swift").path],
                outputFilesDirectory: output
            ),
        ]
    }
}

import Foundation
import PackagePlugin

/// Gives the target `buildVersion`, this build's version from git (`scripts/version`): every build says
/// what it is, and the package and `--version` agree. A build command whose inputs are git's own record
/// of where HEAD is (HEAD, its reflog, the index, packed refs), so it runs again whenever a commit, checkout
/// or tag moves the version, and at no other build. (A prebuild command would run only when SwiftPM
/// invokes the plugin again, which it skips while no Swift source changed.)
@main
struct BuildVersion: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildVersion.swift")
        let git = root.appending(path: ".git")
        let inputs = ["HEAD", "logs/HEAD", "index", "packed-refs"]
            .map { git.appending(path: $0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        return [
            .buildCommand(
                displayName: "Version from git (scripts/version)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [root.appending(path: "scripts/version").path, "--swift", output.path],
                inputFiles: inputs + [root.appending(path: "VERSION"), root.appending(path: "scripts/version")],
                outputFiles: [output]
            ),
        ]
    }
}

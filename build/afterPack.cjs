// electron-builder afterPack hook: flips Electron's fuses in the packaged app (Electron security checklist),
// so the shipped binary cannot be turned into a plain Node.js runtime or debugged through its command line.
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

exports.default = async function afterPack(context) {
  const name = context.packager.appInfo.productFilename;
  const executable =
    {
      darwin: path.join(context.appOutDir, `${name}.app`, 'Contents', 'MacOS', name),
      win32: path.join(context.appOutDir, `${name}.exe`),
    }[context.electronPlatformName] ?? path.join(context.appOutDir, context.packager.executableName);
  await flipFuses(executable, {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
};

# The cim-monitor executable, built with SwiftPM.
#
# SwiftPM fetches its dependencies (Package.resolved) over the network, which a Nix build may not do. They are fetched
# once in a fixed-output derivation (`dependencies`), like Go's vendorHash: on the first build Nix reports the hash it
# got; put it in `dependenciesHash`. The toolchain must be Swift 6.1 or later (Package.swift's tools version).
{ lib
, stdenv
, swift
, swiftpm
, cacert
, git
, dependenciesHash ? lib.fakeHash
}:

let
  src = lib.cleanSourceWith {
    src = ../.;
    filter = path: type:
      let name = baseNameOf path; in
      !(lib.elem name [ ".build" ".swiftpm" "result" ]);
  };

  dependencies = stdenv.mkDerivation {
    pname = "cim-monitor-swiftpm-dependencies";
    version = "0";
    inherit src;
    nativeBuildInputs = [ swift swiftpm git cacert ];
    buildPhase = ''
      export HOME=$TMPDIR
      swift package resolve
    '';
    installPhase = ''
      mkdir -p $out
      cp -r .build/checkouts $out/checkouts
      cp Package.resolved $out/ 2>/dev/null || true
      find $out -name .git -prune -exec rm -rf {} +
    '';
    outputHashMode = "recursive";
    outputHashAlgo = "sha256";
    outputHash = dependenciesHash;
  };
in
stdenv.mkDerivation {
  pname = "cim-monitor";
  version = "0.1.0";
  inherit src;

  nativeBuildInputs = [ swift swiftpm ];

  configurePhase = ''
    runHook preConfigure
    export HOME=$TMPDIR
    mkdir -p .build
    cp -r ${dependencies}/checkouts .build/checkouts
    chmod -R u+w .build
    runHook postConfigure
  '';

  buildPhase = ''
    runHook preBuild
    swift build -c release --disable-automatic-resolution --product cim-monitor
    swift build -c release --disable-automatic-resolution --product cim-gpu-agent
    runHook postBuild
  '';

  installPhase = ''
    runHook preInstall
    install -Dm755 "$(swift build -c release --show-bin-path)/cim-monitor" $out/bin/cim-monitor
    # `cim-monitor gpu agent` hands over to the lean agent beside it (linked against the shared Swift runtime
    # here; `--static-swift-stdlib` gives the smaller, self-contained agent where the toolchain has static libraries).
    install -Dm755 "$(swift build -c release --show-bin-path)/cim-gpu-agent" $out/bin/cim-gpu-agent
    mkdir -p $out/share/cim-monitor
    cp -r deploy $out/share/cim-monitor/deploy
    runHook postInstall
  '';

  passthru = { inherit dependencies; };

  meta = {
    description = "Monitoring and operations toolkit for event-sourced CIM systems on NATS";
    mainProgram = "cim-monitor";
    platforms = lib.platforms.linux ++ lib.platforms.darwin;
  };
}

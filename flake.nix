{
  description = "CIM Monitor: event-sourced monitoring for CIM on NATS, with its Prometheus rules, Alertmanager routing and Grafana dashboards";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: rec {
        cim-monitor = pkgs.callPackage ./nix/package.nix { };
        default = cim-monitor;
      });

      # services.cim-monitor, and optionally the Prometheus scrape + rules, Alertmanager and Grafana around it.
      nixosModules.default = { pkgs, ... }: {
        imports = [ ./nix/module.nix ];
        services.cim-monitor.package = nixpkgs.lib.mkDefault self.packages.${pkgs.stdenv.hostPlatform.system}.cim-monitor;
      };
      nixosModules.cim-monitor = self.nixosModules.default;
    };
}

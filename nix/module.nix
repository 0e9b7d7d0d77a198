# NixOS module: services.cim-monitor runs `cim-monitor serve` as a hardened systemd service with a dynamic user, its
# settings rendered to the YAML configuration file (keys: docs/ARCHITECTURE.md, "Configuration"), and secrets from
# files only. Optionally it wires the local Prometheus (scrape + the shipped rules), Alertmanager (the shipped
# routing) and Grafana (data source + the shipped dashboards).
{ config, lib, pkgs, ... }:

let
  cfg = config.services.cim-monitor;
  yaml = pkgs.formats.yaml { };
  deploy = ../deploy;

  # Drops unset (null) options and empty sections, so the file holds only what was configured.
  clean = value:
    if lib.isAttrs value then
      lib.filterAttrs (_: v: v != null && v != { }) (lib.mapAttrs (_: clean) value)
    else if lib.isList value then map clean value
    else value;

  configFile = yaml.generate "cim-monitor.yaml" (clean cfg.settings);

  listenPort = lib.toInt (lib.last (lib.splitString ":" cfg.settings.http.listen));
  scrapeHost = let host = lib.head (lib.splitString ":" cfg.settings.http.listen); in
    if host == "0.0.0.0" || host == "" then "127.0.0.1" else host;

  dashboards = pkgs.runCommand "cim-grafana-dashboards" { } ''
    mkdir -p $out
    cp ${deploy}/grafana/dashboards/*.json $out/
  '';

  inherit (lib) mkOption mkEnableOption mkIf mkMerge types;
  nullOr = types.nullOr;
in
{
  options.services.cim-monitor = {
    enable = mkEnableOption "CIM Monitor (cim-monitor serve): events from NATS folded into Prometheus metrics";

    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ./package.nix { };
      defaultText = lib.literalExpression "the flake's packages.\${system}.cim-monitor";
      description = "The cim-monitor package.";
    };

    instance = mkOption {
      type = types.str;
      default = config.networking.hostName;
      defaultText = lib.literalExpression "config.networking.hostName";
      description = "Instance name (--instance): the snapshot keys and the self-event subjects cim.monitor.<instance>.*. Unique per monitor.";
    };

    start = mkOption {
      type = types.enum [ "all" "new" ];
      default = "all";
      description = "Where a stream without a snapshot starts (--start): every message it holds, or new ones only.";
    };

    snapshotInterval = mkOption {
      type = types.addCheck types.float (x: x >= 0.1);
      default = 5.0;
      description = "Seconds between snapshots (--snapshot-interval, at least 0.1).";
    };

    environmentFile = mkOption {
      type = nullOr types.path;
      default = null;
      example = "/run/secrets/cim-monitor.env";
      description = ''
        systemd EnvironmentFile with secrets, never in the Nix store: for instance NATS_URL=nats://user:password@host:4222
        (used when settings.nats.servers is empty).
      '';
    };

    credentialsFile = mkOption {
      type = nullOr types.path;
      default = null;
      example = "/run/secrets/cim-monitor.creds";
      description = "A NATS .creds file (JWT + NKEY seed), handed to the service with systemd LoadCredential and passed as --creds.";
    };

    systemCredentialsFile = mkOption {
      type = nullOr types.path;
      default = null;
      example = "/run/secrets/cim-monitor-system.creds";
      description = "A .creds file of a NATS system-account user, for the health collector ($SYS requests); handed over with LoadCredential and passed as --system-creds.";
    };

    extraArgs = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "More arguments for cim-monitor serve.";
    };

    settings = mkOption {
      description = "The YAML configuration file of cim-monitor serve (--config). Unset options are left out.";
      default = { };
      type = types.submodule {
        freeformType = yaml.type;
        options = {
          nats.servers = mkOption {
            type = nullOr (types.listOf types.str);
            default = null;
            example = [ "nats://nats-1:4222" "nats://nats-2:4222" ];
            description = "NATS server URLs (null: NATS_URL from environmentFile, else nats://127.0.0.1:4222). Credentials go in environmentFile or credentialsFile, not here.";
          };
          nats.monitor_urls = mkOption {
            type = nullOr (types.listOf types.str);
            default = null;
            example = [ "http://nats-1:8222" "http://nats-2:8222" ];
            description = "HTTP monitoring URLs of the NATS servers, polled by the health collector (or use systemCredentialsFile).";
          };
          health = {
            interval = mkOption { type = nullOr types.str; default = null; example = "15s"; description = "Seconds between health polls (15s, 500ms, 1m)."; };
            expected_servers = mkOption {
              type = nullOr (types.ints.between 1 10000);
              default = null;
              description = "The NATS cluster's expected size (NATSClusterBelowExpectedSize); null: the largest size seen.";
            };
          };
          streams = mkOption {
            type = nullOr (types.listOf types.str);
            default = null;
            description = "Streams to fold; null discovers them by subjects.";
          };
          subjects = mkOption {
            type = nullOr (types.listOf types.str);
            default = null;
            example = [ "cim.>" ];
            description = "Event subjects (default cim.>).";
          };
          http = {
            listen = mkOption {
              type = types.str;
              default = "0.0.0.0:9091";
              description = "HTTP address of /metrics, /healthz and /readyz.";
            };
            protect_health = mkOption {
              type = nullOr types.bool;
              default = null;
              description = "Require basic auth on /healthz and /readyz too.";
            };
            basic_auth_users = mkOption {
              type = nullOr (types.attrsOf types.str);
              default = null;
              description = "User name to bcrypt hash ($2a$/$2b$, cost 4-14). Hashes, never passwords.";
            };
            tls = {
              cert_file = mkOption { type = nullOr types.str; default = null; description = "TLS certificate (PEM)."; };
              key_file = mkOption { type = nullOr types.str; default = null; description = "TLS private key (PEM)."; };
            };
          };
          mapping = {
            max_payload_bytes = mkOption { type = nullOr types.ints.positive; default = null; description = "Largest payload scanned for event facts."; };
            rules = mkOption {
              type = nullOr (types.listOf (types.submodule {
                options = {
                  subject = mkOption { type = types.str; description = "Subject pattern of the rule."; };
                  domain = mkOption { type = nullOr types.str; default = null; description = "Domain (a literal or a token reference)."; };
                  aggregate_type = mkOption { type = nullOr types.str; default = null; description = "Aggregate type."; };
                  event_type = mkOption { type = nullOr types.str; default = null; description = "Event type."; };
                };
              }));
              default = null;
              description = "Subject rules tried before the built-in cim profile.";
            };
          };
          cardinality = lib.genAttrs [ "domain" "aggregate_type" "event_type" "error_type" "series_per_family" ] (name:
            mkOption { type = nullOr types.ints.positive; default = null; description = "Cardinality limit: ${name}."; });
        };
      };
    };

    prometheus = {
      enable = mkEnableOption "scraping the monitor from services.prometheus and loading the shipped rules";
      scrapeInterval = mkOption { type = types.str; default = "15s"; description = "Scrape interval of the cim-monitor job."; };
    };

    alertmanager.enable = mkEnableOption "services.prometheus.alertmanager with the shipped routing (deploy/alertmanager/alertmanager.yml; its secret files must exist)";

    grafana.enable = mkEnableOption "provisioning the Prometheus data source and the CIM dashboards into services.grafana";
  };

  config = mkIf cfg.enable (mkMerge [
    {
      systemd.services.cim-monitor = {
        description = "CIM Monitor";
        wantedBy = [ "multi-user.target" ];
        wants = [ "network-online.target" ];
        after = [ "network-online.target" ];
        serviceConfig = {
          ExecStart = lib.escapeShellArgs ([
            (lib.getExe cfg.package)
            "serve"
            "--config" "${configFile}"
            "--instance" cfg.instance
            "--start" cfg.start
            "--snapshot-interval" (toString cfg.snapshotInterval)
          ] ++ lib.optionals (cfg.credentialsFile != null) [ "--creds" "%d/nats.creds" ]
          ++ lib.optionals (cfg.systemCredentialsFile != null) [ "--system-creds" "%d/system.creds" ]
          ++ cfg.extraArgs);
          EnvironmentFile = lib.optional (cfg.environmentFile != null) cfg.environmentFile;
          LoadCredential = lib.optional (cfg.credentialsFile != null) "nats.creds:${cfg.credentialsFile}"
            ++ lib.optional (cfg.systemCredentialsFile != null) "system.creds:${cfg.systemCredentialsFile}";
          Restart = "on-failure";
          RestartSec = 2;
          TimeoutStopSec = 15;

          DynamicUser = true;
          CapabilityBoundingSet = "";
          AmbientCapabilities = "";
          NoNewPrivileges = true;
          ProtectSystem = "strict";
          ProtectHome = true;
          PrivateTmp = true;
          PrivateDevices = true;
          PrivateUsers = true;
          ProtectClock = true;
          ProtectHostname = true;
          ProtectKernelLogs = true;
          ProtectKernelModules = true;
          ProtectKernelTunables = true;
          ProtectControlGroups = true;
          ProtectProc = "invisible";
          ProcSubset = "pid";
          RestrictAddressFamilies = [ "AF_INET" "AF_INET6" "AF_UNIX" ];
          RestrictNamespaces = true;
          RestrictRealtime = true;
          RestrictSUIDSGID = true;
          LockPersonality = true;
          MemoryDenyWriteExecute = true;
          RemoveIPC = true;
          SystemCallArchitectures = "native";
          SystemCallFilter = [ "@system-service" "~@privileged" "~@resources" ];
          UMask = "0077";
        };
      };
    }

    (mkIf cfg.prometheus.enable {
      services.prometheus = {
        enable = true;
        scrapeConfigs = [{
          job_name = "cim-monitor";
          scrape_interval = cfg.prometheus.scrapeInterval;
          static_configs = [{ targets = [ "${scrapeHost}:${toString listenPort}" ]; }];
        }];
        ruleFiles = map (name: "${deploy}/prometheus/rules/${name}")
          (lib.attrNames (lib.filterAttrs (name: type: type == "regular" && lib.hasSuffix ".yml" name)
            (builtins.readDir "${deploy}/prometheus/rules")));
      };
    })

    (mkIf cfg.alertmanager.enable {
      services.prometheus.alertmanager = {
        enable = true;
        configText = builtins.readFile "${deploy}/alertmanager/alertmanager.yml";
      };
      services.prometheus.alertmanagers = [{
        static_configs = [{ targets = [ "127.0.0.1:${toString config.services.prometheus.alertmanager.port}" ]; }];
      }];
    })

    (mkIf cfg.grafana.enable {
      services.grafana = {
        enable = true;
        provision = {
          enable = true;
          datasources.settings.datasources = [{
            name = "CIM Prometheus";
            uid = "cim-prometheus";
            type = "prometheus";
            access = "proxy";
            url = "http://127.0.0.1:${toString config.services.prometheus.port}";
            jsonData.timeInterval = cfg.prometheus.scrapeInterval;
          }];
          dashboards.settings.providers = [{
            name = "cim";
            folder = "CIM";
            options.path = dashboards;
            disableDeletion = true;
          }];
        };
      };
    })
  ]);
}

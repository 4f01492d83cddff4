// An adopter's program: a storefront and a cart API (two stateless services) and Redis in one namespace,
// built only from the components package's entry and labelled as part of "shop", not of the blog platform.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    dnsEgress,
    networkPolicySpec,
    Peers,
    PlatformNamespace,
    Redis,
    REDIS_PORT,
    resourceSpec,
    setLabelling,
    StatelessService,
} from "../../components";

// Before any component: every label, selector and annotation below is built under it.
setLabelling({ partOf: "shop", annotationPrefix: "shop.example.com" });

// Every key and its default is declared in Pulumi.yaml.
const config = new pulumi.Config();
const provider = new k8s.Provider("cluster", { kubeconfig: config.get("kubeconfig") || undefined });
const opts = { providers: { kubernetes: provider } };

const HTTP_PORT = 8080;
const REPLICAS = 2;
const serviceResources = resourceSpec("50m", "64Mi", "200m", "256Mi");
const redisResources = resourceSpec("50m", "64Mi", "250m", "256Mi");

const ns = new PlatformNamespace(
    "shop",
    {
        name: config.require("namespace"),
        // Each workload at its largest: the quota admits them plus a surge pod each for rollouts.
        budgets: [
            { resources: serviceResources, maxPods: REPLICAS },
            { resources: serviceResources, maxPods: REPLICAS },
            { resources: redisResources, maxPods: 1 },
        ],
        dataProtection: false,
    },
    opts,
);
const namespace = ns.name;

// The namespace denies everything; each workload admits its callers and reaches its dependencies and DNS.
const redis = new Redis(
    "redis",
    {
        namespace,
        image: config.require("redisImage"),
        resources: redisResources,
        persistence: true,
        storageSize: "1Gi",
        secretsRotation: "1",
        dataProtection: false,
        networkPolicy: networkPolicySpec("redis", [{ peers: [Peers.workload("cart")], ports: [REDIS_PORT] }], []),
    },
    opts,
);

const cart = new StatelessService(
    "cart",
    {
        namespace,
        image: config.require("cartImage"),
        resources: serviceResources,
        replicas: REPLICAS,
        env: redis.clientEnv,
        // The cart rolls when Redis's password rotates: it reads the password only at start.
        secretsChecksum: redis.credentialsChecksum,
        networkPolicy: networkPolicySpec(
            "cart",
            [{ peers: [Peers.workload("storefront")], ports: [HTTP_PORT] }],
            [...dnsEgress(), { peers: [Peers.workload("redis")], ports: [REDIS_PORT] }],
        ),
    },
    opts,
);

const storefront = new StatelessService(
    "storefront",
    {
        namespace,
        image: config.require("storefrontImage"),
        resources: serviceResources,
        replicas: REPLICAS,
        component: "web",
        env: [{ name: "CART_URL", value: cart.url }],
        // A change to the file rolls the pods: its hash is the pod's <annotationPrefix>/config-checksum.
        configFiles: [{ name: "features.json", mountPath: "/etc/storefront", content: JSON.stringify({ recommendations: false }) }],
        networkPolicy: networkPolicySpec(
            "storefront",
            // No peers: the shop's entry, reached by whatever fronts it (an Ingress controller, a port-forward).
            [{ ports: [HTTP_PORT] }],
            [...dnsEgress(), { peers: [Peers.workload("cart")], ports: [HTTP_PORT] }],
        ),
    },
    opts,
);

export const shopNamespace = namespace;
export const storefrontUrl = storefront.url;
export const cartUrl = cart.url;
export const redisHost = redis.host;

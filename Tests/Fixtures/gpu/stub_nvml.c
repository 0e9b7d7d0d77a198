/* A stub of NVIDIA's management library (NVML) for tests and benchmarks: the function names and signatures of
 * nvml.h (API 13) that cim-monitor's NVML binding looks up, serving readings from the H200 capture in this folder
 * (load state). Built with `cc -shared -fPIC`; see Tests/NATSTestSupport/StubNVML.swift for the environment
 * variables that drive it (GPU count, a MIG GPU, lost GPUs, failing calls, Xid events). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct { int index; int mig; } device_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int version; unsigned long long total, reserved, free, used; } nvmlMemory_v2_t;
typedef struct { unsigned int fieldId, scopeId; long long timestamp, latencyUsec; int valueType, nvmlReturn; unsigned long long value; } nvmlFieldValue_t;
typedef struct { device_t *device; unsigned long long eventType, eventData; unsigned int gi, ci; } nvmlEventData_t;

static device_t devices[64];
static device_t migs[64][2];
static int count(void) { const char *v = getenv("CIM_TEST_NVML_GPUS"); int n = v ? atoi(v) : 1; return n < 0 ? 0 : (n > 64 ? 64 : n); }
static int migGPU(void) { const char *v = getenv("CIM_TEST_NVML_MIG_GPU"); return v ? atoi(v) : -1; }
static int control(const char *what, int index, char *out, size_t size) {
    const char *dir = getenv("CIM_TEST_NVML_CONTROL");
    if (!dir) return 0;
    char path[1024]; snprintf(path, sizeof path, "%s/%s-%d", dir, what, index);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    if (out) { size_t n = fread(out, 1, size - 1, f); out[n] = 0; }
    fclose(f);
    if (out) unlink(path);
    return 1;
}
static int lost(device_t *d) { return d && control("lost", d->index, NULL, 0); }
#define CHECK(d) if (!(d)) return 2; if (lost(d)) return 15;
#define WHOLE(d) if ((d)->mig) return 3;

int nvmlInit_v2(void) { return getenv("CIM_TEST_NVML_INIT_FAIL") ? 9 : 0; }
int nvmlShutdown(void) { return 0; }
int nvmlSystemGetDriverVersion(char *v, unsigned int n) { snprintf(v, n, "590.48.01"); return 0; }
int nvmlDeviceGetCount_v2(unsigned int *n) { *n = count(); return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned int i, device_t **d) {
    if ((int)i >= count()) return 2;
    devices[i].index = i; devices[i].mig = 0; *d = &devices[i];
    return lost(&devices[i]) ? 15 : 0;
}
int nvmlDeviceGetUUID(device_t *d, char *v, unsigned int n) {
    CHECK(d)
    if (d->mig) snprintf(v, n, "MIG-00000000-0000-0000-0000-00000000000%d", d->mig - 1);
    else snprintf(v, n, "GPU-00000000-0000-0000-0000-00000000000%d", d->index);
    return 0;
}
int nvmlDeviceGetName(device_t *d, char *v, unsigned int n) {
    CHECK(d) snprintf(v, n, d->mig ? (d->mig == 1 ? "NVIDIA H200 MIG 3g.71gb" : "NVIDIA H200 MIG 1g.18gb") : "NVIDIA H200"); return 0;
}
int nvmlDeviceGetIndex(device_t *d, unsigned int *i) { CHECK(d) *i = d->index; return 0; }
int nvmlDeviceGetUtilizationRates(device_t *d, nvmlUtilization_t *u) { CHECK(d) WHOLE(d) u->gpu = 100; u->memory = 7; return 0; }
int nvmlDeviceGetMemoryInfo(device_t *d, nvmlMemory_t *m) {
    CHECK(d)
    if (d->mig) { m->total = (d->mig == 1 ? 71424ULL : 17920ULL) << 20; m->used = (d->mig == 1 ? 1024ULL : 512ULL) << 20; }
    else { m->total = 143771ULL << 20; m->used = 32362ULL << 20; }
    m->free = m->total - m->used; return 0;
}
/* The capture's v2 memory: used excludes the 614 MiB reserved (143771 = 614 + 32362 + 110795). */
int nvmlDeviceGetMemoryInfo_v2(device_t *d, nvmlMemory_v2_t *m) {
    CHECK(d) WHOLE(d)
    if (getenv("CIM_TEST_NVML_MEMORY_V1_ONLY") || m->version != (sizeof(nvmlMemory_v2_t) | 2u << 24)) return 25;
    m->total = 143771ULL << 20; m->reserved = 614ULL << 20; m->used = 32362ULL << 20; m->free = m->total - m->reserved - m->used;
    return 0;
}
/* NVML_FI_DEV_MEMORY_TEMP (82): 40 C, as an unsigned int (valueType 1); other fields are not supported. */
int nvmlDeviceGetFieldValues(device_t *d, int n, nvmlFieldValue_t *v) {
    CHECK(d)
    for (int i = 0; i < n; i++) {
        if (v[i].fieldId == 82 && !d->mig) { v[i].valueType = 1; v[i].value = 40; v[i].nvmlReturn = 0; }
        else v[i].nvmlReturn = 3;
    }
    return 0;
}
/* Hopper retires no pages (it remaps rows): NOT_SUPPORTED, as the capture's [N/A]. */
int nvmlDeviceGetRetiredPages(device_t *d, int cause, unsigned int *count, unsigned long long *addresses) { CHECK(d) return 3; }
/* The capture's 0 / 0, unless the control file remapped-<index> holds "<correctable> <uncorrectable>" (read once). */
int nvmlDeviceGetRemappedRows(device_t *d, unsigned int *corr, unsigned int *unc, unsigned int *pending, unsigned int *failure) {
    CHECK(d) WHOLE(d)
    char text[64]; unsigned int c = 0, u = 0;
    if (control("remapped", d->index, text, sizeof text)) sscanf(text, "%u %u", &c, &u);
    *corr = c; *unc = u; *pending = 0; *failure = 0; return 0;
}
int nvmlDeviceGetTemperature(device_t *d, int sensor, unsigned int *t) { CHECK(d) WHOLE(d) if (sensor != 0) return 2; *t = 52; return 0; }
int nvmlDeviceGetPowerUsage(device_t *d, unsigned int *mw) { CHECK(d) WHOLE(d) if (control("error", d->index, NULL, 0)) return 999; *mw = 627400; return 0; }
int nvmlDeviceGetEnforcedPowerLimit(device_t *d, unsigned int *mw) { CHECK(d) WHOLE(d) *mw = 700000; return 0; }
int nvmlDeviceGetTotalEnergyConsumption(device_t *d, unsigned long long *mj) { CHECK(d) WHOLE(d) *mj = 123456789ULL; return 0; }
int nvmlDeviceGetClockInfo(device_t *d, int type, unsigned int *mhz) {
    CHECK(d) WHOLE(d)
    switch (type) { case 0: case 1: *mhz = 1980; return 0; case 2: *mhz = 3201; return 0; default: return 2; }
}
int nvmlDeviceGetPerformanceState(device_t *d, int *p) { CHECK(d) WHOLE(d) *p = 0; return 0; }
int nvmlDeviceGetCurrentClocksEventReasons(device_t *d, unsigned long long *r) { CHECK(d) WHOLE(d) *r = 0; return 0; }
int nvmlDeviceGetTotalEccErrors(device_t *d, int type, int counter, unsigned long long *c) { CHECK(d) WHOLE(d) *c = 0; return 0; }
int nvmlDeviceGetFanSpeed(device_t *d, unsigned int *s) { CHECK(d) return 3; }
int nvmlDeviceGetPcieThroughput(device_t *d, int counter, unsigned int *kb) { CHECK(d) WHOLE(d) *kb = counter == 0 ? 1000 : 2000; return 0; }
int nvmlDeviceGetMigMode(device_t *d, unsigned int *current, unsigned int *pending) {
    CHECK(d) *current = *pending = (d->index == migGPU()); return 0;
}
int nvmlDeviceGetMaxMigDeviceCount(device_t *d, unsigned int *n) { CHECK(d) *n = d->index == migGPU() ? 7 : 0; return 0; }
int nvmlDeviceGetMigDeviceHandleByIndex(device_t *d, unsigned int i, device_t **m) {
    CHECK(d)
    if (d->index != migGPU() || i >= 2) return 6;
    migs[d->index][i].index = d->index; migs[d->index][i].mig = i + 1; *m = &migs[d->index][i]; return 0;
}
static int eventSet;
int nvmlEventSetCreate(void **set) { *set = &eventSet; return 0; }
int nvmlDeviceRegisterEvents(device_t *d, unsigned long long types, void *set) { CHECK(d) return 0; }
int nvmlEventSetWait_v2(void *set, nvmlEventData_t *data, unsigned int ms) {
    char text[32];
    for (int i = 0; i < count(); i++) {
        if (control("xid", i, text, sizeof text)) {
            devices[i].index = i;
            data->device = &devices[i]; data->eventType = 8; data->eventData = strtoull(text, NULL, 10);
            data->gi = data->ci = 0xFFFFFFFF;
            return 0;
        }
    }
    return 10;
}
int nvmlEventSetFree(void *set) { return 0; }

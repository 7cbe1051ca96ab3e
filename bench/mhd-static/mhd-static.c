/*
 * bench/mhd-static: what libmicrohttpd itself can serve on this machine.
 *
 * The same daemon set-up as policyd's front end (internal polling thread + epoll + ITC, a
 * thread pool of THREADS, a 16 KiB per-connection pool, the keep-alive pattern: a context on
 * the first call, the answer on the last), answering every request with the bytes of FILE
 * as application/json, built per request the way policyd builds its responses (a copied
 * buffer, one Content-Type header). Nothing else: no routing, no JSON, no metrics.
 *
 *   cc -O2 -o mhd-static mhd-static.c $(pkg-config --cflags --libs libmicrohttpd)
 *   ./mhd-static PORT THREADS FILE
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char *body;
static size_t body_size;
static int request_marker;

static enum MHD_Result answer(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls) {
    (void)cls; (void)url; (void)method; (void)version; (void)upload_data;
    if (*con_cls == NULL) { /* first call: answering now would cost keep-alive */
        *con_cls = &request_marker;
        return MHD_YES;
    }
    if (*upload_data_size != 0) { /* a request body: consume it */
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct MHD_Response *response =
        MHD_create_response_from_buffer(body_size, body, MHD_RESPMEM_MUST_COPY);
    if (response == NULL) return MHD_NO;
    MHD_add_response_header(response, "Content-Type", "application/json");
    enum MHD_Result result = MHD_queue_response(connection, 200, response);
    MHD_destroy_response(response);
    return result;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s PORT THREADS FILE\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[3], "rb");
    if (f == NULL) { perror(argv[3]); return 1; }
    body = malloc(65536);
    body_size = fread(body, 1, 65536, f);
    fclose(f);
    unsigned int threads = (unsigned int)atoi(argv[2]);
    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, (uint16_t)atoi(argv[1]),
        NULL, NULL, answer, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 1,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
        MHD_OPTION_CONNECTION_LIMIT, 1024u,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_END);
    if (daemon == NULL) { fprintf(stderr, "mhd-static: could not start on port %s\n", argv[1]); return 1; }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int signal_number;
    sigwait(&set, &signal_number);
    MHD_stop_daemon(daemon);
    return 0;
}

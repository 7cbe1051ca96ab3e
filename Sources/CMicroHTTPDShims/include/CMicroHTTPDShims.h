#ifndef CMICROHTTPD_SHIMS_H
#define CMICROHTTPD_SHIMS_H
#include "../../CMicroHTTPD/shim.h"

/// MHD_start_daemon is variadic, which Swift cannot call: this passes an option array instead.
struct MHD_Daemon *CMHD_start_daemon(unsigned int flags, uint16_t port,
                                     MHD_AccessHandlerCallback handler, void *handler_cls,
                                     const struct MHD_OptionItem *options);

/// MHD_get_daemon_info is variadic, which Swift cannot call: this asks it for the bound port (0 if unknown).
uint16_t CMHD_daemon_bind_port(struct MHD_Daemon *daemon);

/// MHD_get_connection_info is variadic, which Swift cannot call: this asks it for the client's address.
const struct sockaddr *CMHD_connection_client_address(struct MHD_Connection *connection);

/// MHD's log callback receives a va_list; this formats it into `buffer` (always NUL-terminated).
void CMHD_format_message(char *buffer, size_t capacity, const char *format, va_list arguments);

/// MHD_get_connection_info is variadic: this asks it for the connection's socket context (set on NOTIFY_STARTED).
void *CMHD_connection_socket_context(struct MHD_Connection *connection);

/// MHD_get_connection_info is variadic: this asks it for the connection's socket (-1 if unknown).
int CMHD_connection_socket(struct MHD_Connection *connection);

#endif

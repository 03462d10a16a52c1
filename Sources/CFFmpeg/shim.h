#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswresample/swresample.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <errno.h>

// FFmpeg's error codes are function-like macros, which Swift does not import.
static inline int sluice_av_error_eof(void) { return AVERROR_EOF; }
static inline int sluice_av_error_again(void) { return AVERROR(EAGAIN); }
static inline int sluice_av_error_io(void) { return AVERROR(EIO); }
static inline int sluice_av_error_permission(void) { return AVERROR(EPERM); }
static inline int sluice_av_error_invalid_data(void) { return AVERROR_INVALIDDATA; }
static inline int sluice_av_error_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int sluice_av_probe_score_retry(void) { return AVPROBE_SCORE_RETRY; }
static inline int sluice_avio_seekable_normal(void) { return AVIO_SEEKABLE_NORMAL; }

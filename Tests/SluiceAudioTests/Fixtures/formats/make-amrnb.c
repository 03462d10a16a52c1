/* s16le 8 kHz mono on stdin -> AMR-NB (MR122) storage file on stdout, with opencore-amrnb's encoder. */
#include <stdio.h>
#include <string.h>
#include <opencore-amrnb/interf_enc.h>
int main(void) {
    void *enc = Encoder_Interface_init(0);
    short pcm[160];
    unsigned char out[64];
    fwrite("#!AMR\n", 1, 6, stdout);
    size_t got;
    while ((got = fread(pcm, 2, 160, stdin)) > 0) {
        if (got < 160) memset(pcm + got, 0, (160 - got) * 2);
        int n = Encoder_Interface_Encode(enc, MR122, pcm, out, 0);
        fwrite(out, 1, n, stdout);
    }
    Encoder_Interface_exit(enc);
    return 0;
}

package dev.minke.kernel;

import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import java.util.List;

/**
 * basekernel 2.3.0's kernel_info_reply without its missing {@code "status": "ok"}: the message
 * spec requires it and jupyter_kernel_test's schema check fails without it.
 */
final class KernelInfoReplyOk extends KernelInfoReply {
  @SuppressWarnings("unused") // Serialized by Gson.
  private final String status = "ok";

  KernelInfoReplyOk(String protocolVersion, String implementation, String implementationVersion,
      LanguageInfo languageInfo, String banner, List<LanguageInfo.Help> helpLinks) {
    super(protocolVersion, implementation, implementationVersion, languageInfo, banner, helpLinks);
  }
}

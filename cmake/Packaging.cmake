# The Debian package: `cpack -G DEB` in the build folder writes
# supernet-studio_<version>_amd64.deb with Depends computed by dpkg-shlibdeps. Besides both
# executables (whose presets and templates are compiled in) it installs the desktop entry,
# the AppStream metadata, the icon (SVG, and PNGs rendered from it with rsvg-convert), the
# man pages (help2man from each --help, so the two cannot drift), copyright and
# changelog. tests/package_test.sh builds and checks it.
set(app_id io.github.supernetstudio.SupernetStudio)
set(desktop_dir ${PROJECT_SOURCE_DIR}/packaging/desktop)
set(pkg_out ${PROJECT_BINARY_DIR}/packaging)
set(doc_dir share/doc/supernet-studio)
find_program(RSVG_CONVERT rsvg-convert REQUIRED)
find_program(HELP2MAN help2man REQUIRED)
find_program(GZIP_PROGRAM gzip REQUIRED)

configure_file(${desktop_dir}/${app_id}.metainfo.xml ${pkg_out}/${app_id}.metainfo.xml @ONLY)
install(FILES ${desktop_dir}/${app_id}.desktop DESTINATION share/applications)
install(FILES ${pkg_out}/${app_id}.metainfo.xml DESTINATION share/metainfo)
install(FILES ${desktop_dir}/${app_id}.svg DESTINATION share/icons/hicolor/scalable/apps)

set(generated "")
foreach(size 48 64 128 256)
  set(png ${pkg_out}/icons/${size}/${app_id}.png)
  add_custom_command(OUTPUT ${png}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${pkg_out}/icons/${size}
    COMMAND ${RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${desktop_dir}/${app_id}.svg
    DEPENDS ${desktop_dir}/${app_id}.svg VERBATIM)
  install(FILES ${png} DESTINATION share/icons/hicolor/${size}x${size}/apps)
  list(APPEND generated ${png})
endforeach()

# Man pages from each program's --help (help2man; gzip -n: no name or time stamp, so the
# same input gives the same bytes, as lintian asks). The studio prints its help offscreen.
function(sn_man_page target summary)
  add_custom_command(OUTPUT ${pkg_out}/${target}.1.gz
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
            ${HELP2MAN} --no-info --locale=C.UTF-8 --section 1 --name ${summary}
            --output ${pkg_out}/${target}.1 $<TARGET_FILE:${target}>
    COMMAND ${GZIP_PROGRAM} -9nf ${pkg_out}/${target}.1
    DEPENDS ${target} VERBATIM)
  install(FILES ${pkg_out}/${target}.1.gz DESTINATION share/man/man1)
  set(generated ${generated} ${pkg_out}/${target}.1.gz PARENT_SCOPE)
endfunction()
sn_man_page(supernet-cli "train and explore weight-sharing supernets headless")
sn_man_page(supernet-studio "the desktop app for weight-sharing supernets")
add_custom_command(OUTPUT ${pkg_out}/changelog.gz
  COMMAND ${GZIP_PROGRAM} -9nc ${desktop_dir}/changelog > ${pkg_out}/changelog.gz
  DEPENDS ${desktop_dir}/changelog)
list(APPEND generated ${pkg_out}/changelog.gz)
add_custom_target(sn_package_files ALL DEPENDS ${generated})
install(FILES ${desktop_dir}/copyright ${pkg_out}/changelog.gz DESTINATION ${doc_dir})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME supernet-studio)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "Supernet Studio developers <developers@supernet-studio.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "explore weight-sharing supernets: train, search, prune, export")
# CPack puts the summary first and indents each of these lines.
set(CPACK_PACKAGE_DESCRIPTION "Supernet Studio trains Once-for-All-style supernets with LibTorch,
stores every run, metric, checkpoint and evaluated subnet in one SQLite
file per project, and lets you pick subnets on Pareto fronts with latency
and MAC sliders, prune them SuperTickets-style and export them as verified
ONNX and TorchScript files. supernet-cli does the same work headless.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "dataset-fashion-mnist")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
